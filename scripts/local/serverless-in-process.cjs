// A serverless plugin for `serverless offline start --useInProcess` (npm start, tests, benchmarks).
// In-process mode loads each handler once and never reloads it, so serverless-esbuild's file
// watcher and its esbuild service (one incremental build context per function, ≈ 190 MB)
// serve nothing once the server is up: no watching, and the esbuild service is stopped.
// `npm run dev` (worker threads) keeps both, and reloads edited handlers.
'use strict';

class InProcessOfflinePlugin {
  constructor(serverless, options) {
    this.hooks = {};
    if (!options.useInProcess) return;
    const watch = serverless.service.custom?.esbuild?.watch;
    if (watch) watch.pattern = [];
    this.hooks['offline:start:ready'] = () => require('esbuild').stop();
  }
}

module.exports = InProcessOfflinePlugin;
