// Cold-start experiments on one function bundle, without touching the project's code: the
// deployed esbuild options and Node flags, then variants (with --enable-source-maps; maps with the
// sources' text; Powertools Logger replaced by a console JSON logger), each built to a temp folder,
// with the median module-init time over fresh processes and the bundle and map sizes; then what the
// init is made of, one shared module after another; then the same init by kind of work (compiling,
// built-in modules, top-level code, garbage collection). Every init is timed after the modules the
// Lambda runtime has loaded by then (harness/lambda-runtime.cjs), as the bench's cold starts are.
// Usage: node scripts/bench/init-experiments.mjs [function=bank] [runs=10] [--node <path>]
//   function: a shop function (auth, authorizer, orders, …) or one of the bank's own service
//   (bank/serverless.yml) as bank.payments or bank.faults; `bank` is bank.payments.
//   --node: the Node binary for the fresh processes (default: this one), e.g. the Lambda runtime's major.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { declaredFunctions, deployedEsbuildOptions, nodeModules, serviceDirs } from './lib/build.mjs';
import { median } from './lib/load.mjs';

const args = process.argv.slice(2);
const nodeAt = args.indexOf('--node');
const node = nodeAt >= 0 ? args.splice(nodeAt, 2)[1] : process.execPath;
if (!node) throw new Error('--node needs the path of a Node binary');
const [keyArg = 'bank', runsArg = '10'] = args;
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
// (`--enable-source-maps`, which LAMBDA_NODE_OPTIONS can put in the functions' NODE_OPTIONS).
const variants = {
  'as deployed (no --enable-source-maps)': { options: {}, sourceMaps: false },
  'with --enable-source-maps': { options: {}, sourceMaps: true },
  'with --enable-source-maps, maps with sources': { options: { sourcesContent: true }, sourceMaps: true },
  'as deployed, console JSON logger': { options: { plugins: [shim('@aws-lambda-powertools/logger', loggerShim)] }, sourceMaps: false },
};

const harnessDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'harness');
const timer = path.join(harnessDir, 'time-require.cjs');
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

const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
console.log(`${key}: module init on Node ${nodeVersion}, median of ${runsArg} fresh processes`);
for (const [label, { options, sourceMaps }] of Object.entries(variants)) {
  const outfile = path.join(dir, `${label.replace(/\W+/g, '-')}.js`);
  const base = deployedEsbuildOptions(service);
  const plugins = [...(base.plugins ?? []), ...(options.plugins ?? [])];
  // serverless.yml's `sourcemap: linked`, which deployedEsbuildOptions leaves to the caller.
  await build({ ...base, sourcemap: 'linked', ...options, plugins, entryPoints: [entry], outfile, logLevel: 'error' });
  const times = [];
  const nodeArgs = [...(sourceMaps ? ['--enable-source-maps'] : []), timer, outfile];
  for (let i = 0; i < Number(runsArg); i++) times.push(Number(execFileSync(node, nodeArgs, { env, encoding: 'utf8' })));
  const kb = (file) => (statSync(file).size / 1024).toFixed(1).padStart(7);
  console.log(`  ${label.padEnd(40)} ${kb(outfile)} KB, map ${kb(`${outfile}.map`)} KB  init ${median(times).toFixed(1).padStart(6)} ms`);
}

// What the init is made of: the same build of growing entries (nothing; the logger; the HTTP wrapper
// with zod; the DynamoDB client; the whole function), without source maps, measured in turns so that
// a host that drifts weighs on all of them alike.
const projectRoot = path.resolve(serviceDirs.shop);
/** @type {Array<[string, string[]]>} */
const parts = [
  ['an empty module', []],
  ['+ the logger: Powertools Logger, tracing, zod (lib/logger.ts)', ['lib/logger']],
  ["+ the HTTP wrapper, zod's French messages (lib/http.ts)", ['lib/logger', 'lib/http']],
  ['+ the DynamoDB client, aws-lite (lib/dynamo.ts)', ['lib/logger', 'lib/http', 'lib/dynamo']],
];
/** @type {Array<[string, string]>} */
const partFiles = [];
for (const [index, [label, modules]] of parts.entries()) {
  const source = path.join(dir, `part-${index}.ts`);
  writeFileSync(source, modules.map((m, i) => `export * as m${i} from ${JSON.stringify(path.join(projectRoot, m))};`).join('\n') || 'export {};');
  partFiles.push([label, source]);
}
partFiles.push([`the whole function (${key})`, entry]);
const partTimes = partFiles.map(() => /** @type {number[]} */ ([]));
const partOut = [];
for (const [index, [, source]] of partFiles.entries()) {
  const outfile = path.join(dir, `part-${index}.js`);
  await build({ ...deployedEsbuildOptions(service), entryPoints: [source], outfile, logLevel: 'error' });
  partOut.push(outfile);
}
for (let i = 0; i < Number(runsArg); i++) {
  for (const [index, outfile] of partOut.entries()) partTimes[index].push(Number(execFileSync(node, [timer, outfile], { env, encoding: 'utf8' })));
}
console.log(`${key}: what the module init is made of (no source maps, median of ${runsArg}, in turns)`);
let previous = 0;
for (const [index, [label]] of partFiles.entries()) {
  const ms = median(partTimes[index]);
  console.log(
    `  ${label.padEnd(58)} ${(statSync(partOut[index]).size / 1024).toFixed(1).padStart(7)} KB  init ${ms.toFixed(1).padStart(6)} ms (${index ? `+${(ms - previous).toFixed(1)}` : 'base'})`,
  );
  previous = ms;
}

// The whole function's init by kind of work (harness/init-anatomy.cjs), in fresh processes.
/** @type {Array<{ compileMs: number, runMs: number, builtinsMs: number, gcMs: number, builtins: string[] }>} */
const anatomy = [];
const whole = partOut[partOut.length - 1];
for (let i = 0; i < Number(runsArg); i++) {
  anatomy.push(JSON.parse(execFileSync(node, [path.join(harnessDir, 'init-anatomy.cjs'), whole], { env, encoding: 'utf8' })));
}
const mid = (/** @type {'compileMs' | 'runMs' | 'builtinsMs' | 'gcMs'} */ field) => median(anatomy.map((run) => run[field]));
const builtins = [...new Set(anatomy.flatMap((run) => run.builtins))].join(', ') || 'none';
console.log(`${key}: the whole function's init by kind of work (median of ${runsArg})`);
for (const [label, ms] of [
  [`compiling the bundle (${(statSync(whole).size / 1024).toFixed(1)} KB)`, mid('compileMs')],
  ['running its top-level code', mid('runMs')],
  [`  of which built-in modules the runtime had not loaded (${builtins})`, mid('builtinsMs')],
  ['  of which garbage collection', mid('gcMs')],
]) {
  console.log(`  ${String(label).padEnd(72)} ${Number(ms).toFixed(1).padStart(6)} ms`);
}
rmSync(dir, { recursive: true, force: true });
