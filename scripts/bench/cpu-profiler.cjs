// Preloaded into serverless-offline by profile.mjs (NODE_OPTIONS=--require …): Node refuses
// --cpu-prof in NODE_OPTIONS, so this starts the same V8 sampling profiler through the
// inspector: the first SIGUSR2 starts it, the second writes
// $BENCH_PROFILE_DIR/offline-<pid>.cpuprofile (so warm-up stays out of the profile).
'use strict';

const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir && !globalThis.__benchProfiler) {
  globalThis.__benchProfiler = true;
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start'));
      });
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      const file = path.join(dir, `offline-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(error ? { error: String(error) } : result.profile));
    });
  });
}
