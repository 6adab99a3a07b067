/**
 * `npm run test:faults`: the slow fault scenarios (tests/faults). Each file starts a stack of its
 * own (tests/support/fault-stack.ts) that it stops, kills and restarts, so there is no global setup.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/tests/faults/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 120_000,
};
