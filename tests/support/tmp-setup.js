/**
 * Jest's global setup: every temp folder the tests, the CLI processes they start and Chromium make goes under one
 * folder for the run (TMPDIR, which os.tmpdir() reads on every call), removed by tmp-teardown.js; a full run left
 * several hundred folders in the system's temp folder before. FEA_KEEP_TEST_TMP=1 keeps it for a look afterwards.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-jest-'));
  process.env.FEA_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
