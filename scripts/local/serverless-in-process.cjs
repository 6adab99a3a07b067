// A serverless plugin for `serverless offline start --useInProcess` (npm start, tests, benchmarks).
// In-process mode loads each handler once and never reloads it, so serverless-esbuild's file
// watcher and its esbuild service (one incremental build context per function, ≈ 190 MB)
// serve nothing once the server is up: no watching, and the esbuild service is stopped.
// `npm run dev` (worker threads) keeps both, and reloads edited handlers. With PREBUILT_HANDLERS
// (scripts/serverless/esbuild.cjs) there is no esbuild in the process: nothing to do.
'use strict';

class InProcessOfflinePlugin {
  constructor(serverless, options) {
    this.hooks = {};
    if (!options.useInProcess || process.env.PREBUILT_HANDLERS) return;
    const watch = serverless.service.custom?.esbuild?.watch;
    if (watch) watch.pattern = [];
    this.hooks['offline:start:ready'] = () => require('esbuild').stop();
  }
}

module.exports = InProcessOfflinePlugin;
