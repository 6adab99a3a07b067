/** Unit tests sit beside the code (`*.test.ts`); integration and end-to-end tests under `tests/`. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/functions/**/*.test.ts', '<rootDir>/bank/**/*.test.ts', '<rootDir>/lib/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    // openapi.yaml is imported as its parsed value, as esbuild bundles it.
    '^.+\\.yaml$': '<rootDir>/tests/support/yaml-transform.cjs',
  },
  // The slow fault scenarios start stacks of their own: `npm run test:faults` (jest.faults.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/faults/'],
  // jose 6 ships ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  setupFiles: ['<rootDir>/tests/support/quiet-logs.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/global-teardown.mjs',
  testTimeout: 30_000,
};
