#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('fea: the CLI is not built; run "npm run build" in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
// Exit only once stdout and stderr are flushed: a pipe takes large outputs (a --json list) in several writes.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
require(entry)
  .main(process.argv.slice(2))
  .then((code) => Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code)));
