/**
 * What every jest project shares (transform, environment, quiet logs). Not a config to run by
 * itself: jest.config.js (unit, integration, e2e) and jest.faults.config.js build on it.
 */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // openapi.yaml is imported as its parsed value, as esbuild bundles it.
    '^.+\\.yaml$': '<rootDir>/tests/support/yaml-transform.cjs',
  },
  testPathIgnorePatterns: ['/node_modules/'],
  // jose 6 and the aws-lite DynamoDB plugin ship ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@aws-lite/dynamodb)/)'],
  setupFiles: ['<rootDir>/tests/support/quiet-logs.ts'],
};
