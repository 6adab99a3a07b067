// One module init in a fresh process, after the Lambda runtime's own modules (lambda-runtime.cjs):
// prints the milliseconds `require(<bundle>)` took. The time is taken before process.stdout is
// touched: its first use builds the stream (a few ms).
// Usage: node time-require.cjs <bundle.js>
require('./lambda-runtime.cjs').loadRuntimeModules();
const started = performance.now();
require(require('node:path').resolve(process.argv[2]));
const ms = performance.now() - started;
process.stdout.write(String(ms));
