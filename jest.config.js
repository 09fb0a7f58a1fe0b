/** Unit and integration tests run from TypeScript sources through swc; e2e drives Chromium against server mode. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }] };
module.exports = {
  globalSetup: '<rootDir>/tests/support/tmp-setup.js',
  globalTeardown: '<rootDir>/tests/support/tmp-teardown.js',
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/integration/**/*.test.ts'] },
    { displayName: 'e2e', testEnvironment: 'node', transform, testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
};
