// esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml).
// `*.yaml` imports become their parsed value at build time: no YAML parser ships in a bundle.
'use strict';

const { readFile } = require('node:fs/promises');
const YAML = require('yaml');

const yamlPlugin = {
  name: 'yaml',
  setup(build) {
    build.onLoad({ filter: /\.ya?ml$/ }, async (args) => ({
      contents: JSON.stringify(YAML.parse(await readFile(args.path, 'utf8'))),
      loader: 'json',
      watchFiles: [args.path],
    }));
  },
};

module.exports = [yamlPlugin];
