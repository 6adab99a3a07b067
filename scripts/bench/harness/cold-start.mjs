// One cold start in a fresh process: loads a packaged function bundle (module init) and
// invokes its handler once (first invoke), the way the Lambda runtime does: after the modules the
// runtime itself has loaded by then (lambda-runtime.cjs).
// Usage: node cold-start.mjs <result.json> <bundle.js> <export> <event.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [resultFile, bundle, exportName, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  awsRequestId: `cold-${process.pid}`,
  functionName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};

const require = createRequire(import.meta.url);
require('./lambda-runtime.cjs').loadRuntimeModules();
const started = performance.now();
const handler = require(bundle)[exportName];
const loaded = performance.now();
let outcome;
try {
  const result = await handler(event, context);
  outcome = result?.statusCode ?? (result?.policyDocument ? 'allow' : 'ok');
} catch (error) {
  outcome = `threw ${error?.message ?? error}`;
}
const invoked = performance.now();
writeFileSync(resultFile, JSON.stringify({ initMs: loaded - started, firstInvokeMs: invoked - loaded, outcome }));
// Open sockets (keep-alive pools) must not keep the process waiting.
process.exit(0);
