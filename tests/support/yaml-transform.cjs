// Jest transform: a `*.yaml` import is its parsed value, as the esbuild plugin bundles it
// (scripts/serverless/esbuild-plugins.cjs).
'use strict';

const YAML = require('yaml');

module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(YAML.parse(source))};` };
  },
};
