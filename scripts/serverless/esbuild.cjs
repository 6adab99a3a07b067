// The handlers' bundler: serverless-esbuild, with one command added and one way around it.
// - `serverless bundle` builds every handler into custom.esbuild.outputWorkFolder, then exits.
//   scripts/local/offline.mjs runs it in a process of its own before it starts serverless-offline
//   in-process (npm start, the tests, the benchmarks).
// - With PREBUILT_HANDLERS set to that build's folder, serverless-esbuild is never loaded:
//   serverless-offline runs the handlers from the folder. serverless-esbuild brings effect,
//   @effect/platform, @effect/schema and fast-check into its process, memory kept for the
//   process's whole life (BENCHMARKS.md, Memory).
// Without PREBUILT_HANDLERS (`serverless package`, `deploy`, `invoke local`, a plain `serverless
// offline start`, `npm run dev`), this is serverless-esbuild as it ships.
'use strict';

const { existsSync } = require('node:fs');
const path = require('node:path');

class PrebuiltHandlers {
  constructor(serverless) {
    const folder = process.env.PREBUILT_HANDLERS;
    const serviceDir = serverless.config.serviceDir ?? serverless.config.servicePath;
    if (!existsSync(path.resolve(serviceDir, folder))) {
      throw new Error(`PREBUILT_HANDLERS names "${folder}", which does not exist: run \`serverless bundle\` first, or unset it`);
    }
    const custom = serverless.service.custom;
    custom['serverless-offline'] = { ...custom['serverless-offline'], location: folder };
    this.hooks = {};
  }
}

/** serverless-esbuild with a `bundle` command: the build its `offline start` would make, and nothing else. */
function withBundleCommand(EsbuildPlugin) {
  return class EsbuildWithBundle extends EsbuildPlugin {
    constructor(serverless, options, utils) {
      super(serverless, options, utils);
      this.commands = {
        bundle: { usage: 'Bundles every handler into custom.esbuild.outputWorkFolder (for PREBUILT_HANDLERS)', lifecycleEvents: ['bundle'] },
      };
      this.hooks['bundle:bundle'] = async () => {
        try {
          await this.bundle();
          await this.packExternalModules();
          await this.copyExtras();
        } finally {
          // A failed build too: esbuild's service would otherwise keep the process alive.
          await this.disposeContexts();
          require('esbuild').stop();
        }
        this.log.notice(`Bundled ${this.functionEntries.length} handler(s) into ${path.relative(process.cwd(), this.buildDirPath)}`);
      };
    }
  };
}

module.exports = process.env.PREBUILT_HANDLERS ? PrebuiltHandlers : withBundleCommand(require('serverless-esbuild'));
