/**
 * `npm run test:unit`: the unit tests beside the code (fakes, no network, no Java, no server),
 * without the global setup that starts the stack for the integration and end-to-end tests.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/functions/**/*.test.ts', '<rootDir>/bank/**/*.test.ts', '<rootDir>/lib/**/*.test.ts', '<rootDir>/tests/unit/**/*.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
