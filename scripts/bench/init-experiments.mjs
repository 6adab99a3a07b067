// Cold-start experiments on one function bundle, without touching the project's code: the
// deployed esbuild options and Node flags, then variants (source maps off; source maps without
// the sources' text; Powertools Logger replaced by a console JSON logger), each built to a temp
// folder, with the median module-init time over fresh processes and the bundle and map sizes.
// Usage: node scripts/bench/init-experiments.mjs [function=bank] [runs=10]
//   function: a shop function (auth, authorizer, orders, …) or one of the bank's own service
//   (bank/serverless.yml) as bank.payments or bank.faults; `bank` is bank.payments.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { declaredFunctions, deployedEsbuildOptions, nodeModules, serviceDirs } from './lib/build.mjs';
import { median } from './lib/load.mjs';

const [keyArg = 'bank', runsArg = '10'] = process.argv.slice(2);
const key = keyArg === 'bank' ? 'bank.payments' : keyArg;
const [service, name] = key.startsWith('bank.') ? ['bank', key.slice('bank.'.length)] : ['shop', key];
const fn = declaredFunctions(service)[name];
if (!fn)
  throw new Error(
    `unknown function ${keyArg}: ${[...Object.keys(declaredFunctions('shop')), ...Object.keys(declaredFunctions('bank')).map((n) => `bank.${n}`)].join(', ')}`,
  );
const entry = path.join(serviceDirs[service], `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
const dir = mkdtempSync(path.join(tmpdir(), 'shop-init-'));

// A console JSON logger with the Logger methods the project calls.
const loggerShim = path.join(dir, 'logger-shim.cjs');
writeFileSync(
  loggerShim,
  `const levels = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };
const min = levels[(process.env.POWERTOOLS_LOG_LEVEL || 'INFO').toUpperCase()] ?? 1;
class Logger {
  constructor(options = {}) { this.service = options.serviceName; }
  #log(level, message, keys) { if (levels[level] >= min) process.stdout.write(JSON.stringify({ level, message, service: this.service, timestamp: new Date().toISOString(), ...keys }) + '\\n'); }
  debug(m, k) { this.#log('DEBUG', m, k); } info(m, k) { this.#log('INFO', m, k); }
  warn(m, k) { this.#log('WARN', m, k); } error(m, k) { this.#log('ERROR', m, k); }
  appendKeys() {} removeKeys() {} addContext() {}
}
module.exports = { Logger };\n`,
);
const shim = (request, file) => ({
  name: `shim-${request}`,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${request.replace(/[/@]/g, '\\$&')}$`) }, () => ({ path: file }));
  },
});

// Each variant: esbuild options over the deployed ones, and whether Node maps stack traces
// (`--enable-source-maps`, as serverless.yml sets NODE_OPTIONS for every function).
const variants = {
  'as deployed (source maps on)': { options: {}, sourceMaps: true },
  'source maps off': { options: {}, sourceMaps: false },
  'source maps on, without sourcesContent': { options: { sourcesContent: false }, sourceMaps: true },
  'source maps on, console JSON logger': { options: { plugins: [shim('@aws-lambda-powertools/logger', loggerShim)] }, sourceMaps: true },
  'source maps off, console JSON logger': { options: { plugins: [shim('@aws-lambda-powertools/logger', loggerShim)] }, sourceMaps: false },
};

const timer = path.join(dir, 'time-require.cjs');
writeFileSync(timer, `const t = performance.now(); require(process.argv[2]); process.stdout.write(String(performance.now() - t));\n`);
const env = {
  ...process.env,
  NODE_PATH: nodeModules,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  STAGE: 'test',
  JWT_SECRET: 'x'.repeat(48),
  BANK_URL: 'http://127.0.0.1:9/bank',
  BANK_MERCHANT_KEY: randomBytes(32).toString('base64url'),
  MERCHANT_KEY: randomBytes(32).toString('base64url'),
};
for (const name of ['USERS', 'REFRESH_TOKENS', 'LOGIN_ATTEMPTS', 'ORDERS', 'BANK_PAYMENTS', 'BANK_FAULTS']) env[`${name}_TABLE`] = name.toLowerCase();

console.log(`${key}: module init, median of ${runsArg} fresh processes`);
for (const [label, { options, sourceMaps }] of Object.entries(variants)) {
  const outfile = path.join(dir, `${label.replace(/\W+/g, '-')}.js`);
  const base = deployedEsbuildOptions(service);
  const plugins = [...(base.plugins ?? []), ...(options.plugins ?? [])];
  // serverless.yml's `sourcemap: linked`, which deployedEsbuildOptions leaves to the caller.
  await build({ ...base, sourcemap: 'linked', ...options, plugins, entryPoints: [entry], outfile, logLevel: 'error' });
  const times = [];
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), timer, outfile];
  for (let i = 0; i < Number(runsArg); i++) times.push(Number(execFileSync(process.execPath, args, { env, encoding: 'utf8' })));
  const kb = (file) => (statSync(file).size / 1024).toFixed(1).padStart(7);
  console.log(`  ${label.padEnd(40)} ${kb(outfile)} KB, map ${kb(`${outfile}.map`)} KB  init ${median(times).toFixed(1).padStart(6)} ms`);
}
rmSync(dir, { recursive: true, force: true });
