#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('fea: the CLI is not built; run "npm run build" in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
// A reader that closes early (`fea records ws | head`) is a normal end, not a failure: exit quietly, once, whichever
// stream breaks first. Any other stream error is a real failure and is reported.
const onStreamError = (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  try {
    process.stderr.write('fea: ' + (err && err.message ? err.message : String(err)) + '\n');
  } finally {
    process.exit(1);
  }
};
process.stdout.on('error', onStreamError);
process.stderr.on('error', onStreamError);
// Exit only once stdout and stderr are flushed: a pipe takes large outputs (a --json list) in several writes.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
require(entry)
  .main(process.argv.slice(2))
  .then((code) => Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code)));
