/**
 * Three projects, one run (`npm test`), or one layer at a time:
 * - `unit` (`npm run test:unit`): the tests beside the code and tests/unit; fakes, no network, no Java,
 *   no server, no global setup;
 * - `integration` (`npm run test:int`): repositories against DynamoDB Local;
 * - `e2e` (`npm run test:e2e`): the real stack over HTTP, and the packaged templates.
 * integration and e2e name the same global setup, which starts the stack once however many of the two
 * run (tests/support/global-setup.mjs). The slow fault scenarios start stacks of their own:
 * `npm run test:faults` (jest.faults.config.js).
 */
const base = require('./jest.base.config.js');

const withStack = {
  globalSetup: '<rootDir>/tests/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/global-teardown.mjs',
};

module.exports = {
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/functions/**/*.test.ts', '<rootDir>/bank/**/*.test.ts', '<rootDir>/lib/**/*.test.ts', '<rootDir>/tests/unit/**/*.test.ts'],
    },
    { ...base, ...withStack, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
    { ...base, ...withStack, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts', '<rootDir>/tests/deploy/**/*.test.ts'] },
  ],
};
