/** Jest's global teardown: removes the run's temp folder (tmp-setup.js) unless FEA_KEEP_TEST_TMP is set. */
const fs = require('node:fs');

module.exports = async () => {
  const dir = process.env.FEA_TEST_TMP;
  if (!dir) return;
  if (process.env.FEA_KEEP_TEST_TMP) {
    process.stdout.write(`test temp folder kept: ${dir}\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
};
