/**
 * `npm run test:faults`: the slow fault scenarios (tests/faults). Each file starts a stack of its
 * own (tests/support/fault-stack.ts) that it stops, kills and restarts, so there is no global setup.
 */
const base = require('./jest.base.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/tests/faults/**/*.test.ts'],
  testTimeout: 120_000,
};
