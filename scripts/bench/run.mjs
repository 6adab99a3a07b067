// `npm run bench`: measures the shop on this machine and rewrites BENCHMARKS.md's numbers.
//
// One run (≤ 8 minutes): in-process microbenchmarks (CPU per order with in-memory fakes,
// token verification and the authorizer's session check, bcrypt), `serverless package` of the
// shop and of the bank (bundle sizes), the bare node:http ceiling, then the real stack (DynamoDB
// Local in memory + the bank's and the shop's serverless-offline, in-process, one process each),
// warmed with orders until its CPU per order stops falling (lib/warm.mjs): POST /api/orders at
// concurrency 1 and 16 straight after, then cold starts of each function (and of the plumbing they
// share) in fresh processes, DynamoDB Local's conditional write ceiling, the session check's table
// read, DynamoDB requests per paid order (both processes), POST /auth/login at 4 (and 1), GET
// /api/products at 16, the stack's RSS (all three processes), and the check that every accepted
// order (201 + 402) is stored, once. Exits 1 when that check fails. Then
// the skeleton: the same stack with the order path's handlers doing only its I/O, POST /api/orders
// at 1 and 16. Last, the cost of tracing: two more stacks side by side, one with TRACING=on and one
// with TRACING=off (the switch local stages honour), POST /api/orders at concurrency 16 on each in
// turns (on, off, off, on): orders/s and CPU per order.
//
// Usage: node scripts/bench/run.mjs [--quick] [--lambda-node <path>]
//   --quick: 2-second phases, for development; it leaves BENCHMARKS.md alone and writes its section
//   to a temp file. --lambda-node: the Node binary the cold starts run on (default: this one), e.g.
//   one of the Lambda runtime's major (provider.runtime).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import bcrypt from 'bcryptjs';
import { ensureTables, localDynamoClient, tableDefinitions } from '../local/tables.mjs';
import { benchTmpDir, bundleHarness, declaredFunctions, projectRoot, serviceDirs } from './lib/build.mjs';
import { childEnv, runNodeJson, startListeningChild } from './lib/children.mjs';
import { costPerMillionOrders, PRICES } from './lib/cost.mjs';
import { median, percentile, runLoad, runLoadApart } from './lib/load.mjs';
import { cpuMeter, noiseMeter, startRssSampler, treeRss } from './lib/procs.mjs';
import { renderReport, writeBenchmarksMd } from './lib/report.mjs';
import { payingCustomer, setBankFaults, stackProcesses, startBenchStack } from './lib/shop.mjs';
import { skeletonBundles } from './lib/skeleton.mjs';
import { STEADY_WARM_UP, warmUntilSteady } from './lib/warm.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const harness = (name) => path.join(here, 'harness', name);

const quick = process.argv.includes('--quick');
const lambdaNodeAt = process.argv.indexOf('--lambda-node');
const lambdaNode = lambdaNodeAt >= 0 ? process.argv[lambdaNodeAt + 1] : process.execPath;
if (!lambdaNode || !existsSync(lambdaNode)) throw new Error(`--lambda-node needs the path of a Node binary (got ${lambdaNode})`);
const T = quick
  ? {
      orders: 2,
      bare: 2,
      login: 2,
      login1: 1,
      products: 2,
      products1: 1,
      ddbWarm: 2,
      ddb1: 1,
      ddb16: 2,
      coldRuns: 3,
      coldRunsSourceMaps: 2,
      warmUp: { chunk: 80, minChunks: 1, maxChunks: 1 },
      cpuOrders: 2000,
      tokens: 5000,
      sessionReads: 500,
      dynamoCalls: 1000,
      seqOrders: 10,
      tracing: 1,
    }
  : {
      orders: 10,
      bare: 5,
      login: 10,
      login1: 4,
      products: 10,
      products1: 3,
      ddbWarm: 5,
      ddb1: 5,
      ddb16: 10,
      coldRuns: 10,
      coldRunsSourceMaps: 5,
      warmUp: STEADY_WARM_UP,
      cpuOrders: 5000,
      tokens: 20000,
      sessionReads: 1500,
      dynamoCalls: 2000,
      seqOrders: 50,
      tracing: 4,
    };

/** The pilot run's size that sizes each measured order run, by concurrency (every stack uses the same). */
const PILOT_ORDERS = { 1: 60, 16: 16 * 20 };

/** How every stack is warmed up (lib/warm.mjs), for the phase names. */
const warmUpText = `chunks of ${T.warmUp.chunk} orders at c=16 until the stack's CPU per order stops falling (${T.warmUp.minChunks}–${T.warmUp.maxChunks} chunks)`;

const began = performance.now();
const note = (message) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

// The original Flask design on this machine, and the targets (the p99 ≤ 36 ms at c=16 and the bundles
// ≤ 60 KB targets are retired: reported, not judged — see BENCHMARKS.md).
const TARGETS = {
  ordersRpsOriginal: 318,
  ordersRpsOriginalC1: 126,
  ordersShareOfCeiling: 0.7,
  ordersCpuPerOrderMs: 5.5,
  bareC16RpsForCpuTarget: 50_000,
  stackRssMb: 700,
  cpuPerOrderMs: 0.5,
  tokenVerifyMs: 0.1,
  coldInitMs: 30,
  firstInvokeMs: 50,
  writesPerOrder: 5,
  loginP50VsCompare: 1.2,
};

const r = {
  quick,
  startedAt: new Date().toISOString(),
  machine: {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGb: os.totalmem() / 2 ** 30,
    node: process.version,
    java: javaVersion(),
    loadAtStart: os.loadavg()[0],
    commit: gitDescribe(),
  },
  failures: [],
  warnings: [],
};

function javaVersion() {
  // `java -version` writes to stderr.
  const { stderr = '' } = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return /version "([^"]+)"/.exec(stderr)?.[1] ?? 'unknown';
}

function gitDescribe() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'functions', 'bank', 'lib', 'serverless.yml');
    return dirty ? `${sha} + uncommitted changes in functions/bank/lib/serverless.yml` : sha;
  } catch {
    return 'unknown';
  }
}

r.noise = {};

/**
 * A phase that fails is reported and the run goes on: one broken piece must not hide the
 * others. Each timed phase also records how busy the rest of the machine was meanwhile
 * (`timed: false` for phases whose results do not depend on time: builds, packaging, checks).
 */
async function phase(name, work, { timed = true } = {}) {
  note(name);
  const noise = noiseMeter();
  try {
    return await work();
  } catch (error) {
    r.failures.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    note(`  FAILED ${name}: ${error instanceof Error ? error.stack : error}`);
    return undefined;
  } finally {
    if (timed) {
      r.noise[name] = noise();
      if (r.noise[name] > 100) note(`  other processes used ${r.noise[name].toFixed(0)} ms of CPU per second during this phase`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// 1. In one process, no network: CPU per order, token verification, bcrypt.

const bundles = await phase(
  'bundling the in-process harnesses (esbuild, serverless.yml options)',
  async () => {
    const fakes = [{ importer: 'functions/orders/handler.ts', request: './dependencies', replacement: harness('fake-orders-dependencies.ts') }];
    const [ordersCpu, tokenCpu, dynamoClientCpu, dynamoWrites, initPlumbing, skeletonOrders] = await Promise.all([
      bundleHarness(harness('orders-cpu.ts'), { redirects: fakes }),
      bundleHarness(harness('token-cpu.ts')),
      bundleHarness(harness('dynamo-client-cpu.ts')),
      bundleHarness(harness('dynamo-writes.ts')),
      bundleHarness(harness('init-plumbing.ts')),
      bundleHarness(harness('skeleton-orders.ts')),
    ]);
    return { ordersCpu, tokenCpu, dynamoClientCpu, dynamoWrites, initPlumbing, skeletonOrders };
  },
  { timed: false },
);

const harnessEnv = (extra = {}) =>
  childEnv({
    STAGE: 'test',
    ORDERS_TABLE: 'bench-orders',
    BANK_URL: 'http://127.0.0.1:9/bank',
    BANK_MERCHANT_KEY: randomBytes(32).toString('base64url'),
    REFRESH_TOKENS_TABLE: 'bench-refresh-tokens',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ...extra,
  });

if (bundles) {
  r.cpu = {};
  for (const [label, mode, level, tracing] of [
    ['useCase', 'use-case', 'INFO', 'on'],
    ['handler', 'handler', 'INFO', 'on'],
    ['handlerNoLog', 'handler', 'WARN', 'on'],
    ['handlerNoTracing', 'handler', 'INFO', 'off'],
    ['handlerWithKey', 'handler-key', 'INFO', 'on'],
  ]) {
    await phase(`CPU per order in one process: ${mode}, log level ${level}, TRACING=${tracing}`, async () => {
      r.cpu[label] = await runNodeJson(bundles.ordersCpu, [String(T.cpuOrders), mode], { env: harnessEnv({ POWERTOOLS_LOG_LEVEL: level, TRACING: tracing }) });
    });
  }
  await phase('token verification and TOKEN authorizer in one process', async () => {
    r.tokens = await runNodeJson(bundles.tokenCpu, [String(T.tokens)], { env: harnessEnv() });
  });
  await phase(
    'DynamoDB client CPU per call in one process (aws-lite, as the functions use it, vs the AWS SDK document client; canned answers from an in-process server)',
    async () => {
      r.dynamoClient = await runNodeJson(bundles.dynamoClientCpu, [String(T.dynamoCalls)], { env: harnessEnv() });
    },
  );
}

await phase('bcryptjs compare at the configured cost', async () => {
  const cost = Number(process.env.BCRYPT_COST ?? 10);
  const hash = await bcrypt.hash('bench-password', cost);
  const times = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    await bcrypt.compare('bench-password', hash);
    times.push(performance.now() - started);
  }
  r.bcrypt = { cost, compareMs: median(times) };
});

// ---------------------------------------------------------------------------------------
// 2. `serverless package`: the deployed bundles, their sizes and their resolved settings.

const pkg = await phase(
  'serverless package --stage test, the shop and the bank (bundle sizes, resolved function settings)',
  async () => {
    const shop = await packageService('shop');
    const bank = await packageService('bank');
    return { functions: [...shop.functions, ...bank.functions], tables: { ...shop.tables, ...bank.tables } };
  },
  { timed: false },
);

/**
 * `serverless package` of one service (the shop: serverless.yml; the bank: bank/serverless.yml):
 * its functions as deployed (bundle, handler, memory, resolved environment, sizes) and its tables.
 * The bank's functions are keyed `bank.<name>`.
 */
async function packageService(service) {
  const dir = path.join(benchTmpDir(), `package-${service}`);
  const serverlessBin = path.join(path.dirname(require.resolve('serverless/package.json')), 'bin', 'serverless.js');
  execFileSync(process.execPath, [serverlessBin, 'package', '--stage', 'test', '--package', dir], {
    cwd: serviceDirs[service],
    env: {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      ESBUILD_WORK_FOLDER: `.esbuild/bench-${process.pid}`,
      JWT_SECRET: randomBytes(48).toString('base64url'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  const template = JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  const JSZip = require(require.resolve('jszip', { paths: [projectRoot] }));
  const functions = [];
  for (const [name, fn] of Object.entries(declaredFunctions(service))) {
    const resource = template.Resources[`${name[0].toUpperCase()}${name.slice(1)}LambdaFunction`];
    const zipFile = path.join(dir, `${name}.zip`);
    if (!resource || !existsSync(zipFile)) continue;
    const key = service === 'shop' ? name : `${service}.${name}`;
    const zipBytes = readFileSync(zipFile);
    const zip = await JSZip.loadAsync(zipBytes);
    const out = path.join(dir, name);
    let jsBytes = 0;
    let mapBytes = 0;
    for (const [file, entry] of Object.entries(zip.files)) {
      if (entry.dir) continue;
      const data = await entry.async('nodebuffer');
      mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      writeFileSync(path.join(out, file), data);
      if (file.endsWith('.js')) jsBytes += data.length;
      if (file.endsWith('.map')) mapBytes += data.length;
    }
    const handler = resource.Properties.Handler ?? fn.handler;
    const [file, exportName] = [handler.slice(0, handler.lastIndexOf('.')), handler.slice(handler.lastIndexOf('.') + 1)];
    const firstHttp = (Array.isArray(fn.events) ? fn.events : []).map((event) => event?.http).find((http) => http && typeof http === 'object');
    functions.push({
      key,
      service,
      name,
      route: firstHttp ? { method: String(firstHttp.method).toUpperCase(), resource: `/${String(firstHttp.path).replace(/^\//, '')}` } : undefined,
      bundle: path.join(out, `${file}.js`),
      exportName,
      memoryMb: resource.Properties.MemorySize ?? 1024,
      runtime: resource.Properties.Runtime,
      env: resource.Properties.Environment?.Variables ?? {},
      jsBytes,
      mapBytes,
      zipBytes: zipBytes.length,
    });
  }
  // Table layouts as deployed (resolved names, indexes).
  const tables = Object.fromEntries(Object.entries(template.Resources).filter(([, res]) => res.Type === 'AWS::DynamoDB::Table'));
  return { functions, tables };
}

r.bundles = pkg?.functions.map(({ key, service, memoryMb, jsBytes, mapBytes, zipBytes }) => ({ key, service, memoryMb, jsBytes, mapBytes, zipBytes }));

// ---------------------------------------------------------------------------------------
// 3. The ceiling of one HTTP hop: a bare node:http server in its own process.

const orderBody = JSON.stringify({ items: [{ article: 'Fraises', quantity: 2 }] });
await phase('bare node:http ceiling at concurrency 1, 4 and 16', async () => {
  const bare = await startListeningChild(path.join(here, 'bare-server.mjs'));
  try {
    r.bare = {};
    const url = `http://127.0.0.1:${bare.port}/`;
    for (const connections of [1, 4, 16]) {
      r.bare[connections] = await runLoad({
        url,
        connections,
        durationS: T.bare,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: orderBody,
      });
    }
  } finally {
    await bare.stop();
  }
});

// ---------------------------------------------------------------------------------------
// 4. The real stack.

const indexKeys = {};
for (const res of Object.values(pkg?.tables ?? {})) {
  const gsis = res.Properties.GlobalSecondaryIndexes ?? [];
  if (gsis.length) indexKeys[res.Properties.TableName] = gsis.map((gsi) => gsi.KeySchema.map((k) => k.AttributeName));
}
const counterDir = path.join(benchTmpDir(), 'dynamo-counters');
mkdirSync(counterDir, { recursive: true });
const stack = await phase(
  'starting DynamoDB Local (in memory), bundling the handlers, the bank and the shop (serverless-offline in-process, one process each)',
  async () => {
    const started = performance.now();
    const s = await startBenchStack({
      // Both serverless-offline processes count their DynamoDB requests (dynamo-counter.cjs).
      NODE_OPTIONS: `--require ${path.join(here, 'dynamo-counter.cjs')}`,
      BENCH_COUNTER_DIR: counterDir,
      BENCH_INDEX_KEYS: JSON.stringify(indexKeys),
    });
    r.stackStartS = (performance.now() - started) / 1000;
    return s;
  },
);

let exitCode = 0;
if (stack) {
  const processes = stackProcesses(stack);
  const rss = startRssSampler(processes);
  const durations = watchLambdaDurations([
    { child: stack.offline.process.child, prefix: '' },
    { child: stack.bank.process.child, prefix: 'bank.' },
  ]);
  // A quick run keeps both servers' output beside its results, for finding out what went wrong.
  if (quick) {
    for (const [name, proc] of [
      ['shop', stack.offline.process],
      ['bank', stack.bank.process],
    ]) {
      const log = createWriteStream(path.join(benchTmpDir(), `offline-${name}.log`));
      proc.child.stdout.on('data', (chunk) => log.write(chunk));
      proc.child.stderr.on('data', (chunk) => log.write(chunk));
    }
  }
  try {
    await measureStack(stack, processes, rss, durations);
  } finally {
    rss.stop();
    r.rss = { ...(r.rss ?? {}), overallPeak: rss.overall(), idleAfter: treeRss(processes) };
    note('stopping the stack');
    await stack.stop();
  }
}
if (r.lost && r.lost.difference !== 0) exitCode = 1;
if (r.lost === undefined) exitCode = 1;

// ---------------------------------------------------------------------------------------
// 4b. The skeleton: the same stack with the order path's handlers doing nothing but its I/O.

await measureSkeleton();

// ---------------------------------------------------------------------------------------
// 4c. The cost of tracing: the same orders path with TRACING=on and TRACING=off, in one run.

await measureTracingCost();

// ---------------------------------------------------------------------------------------
// 5. Report.

r.finishedS = (performance.now() - began) / 1000;
if (!quick && r.finishedS > 480) r.warnings.push(`the run took ${r.finishedS.toFixed(0)} s, more than its 8-minute budget (a busy machine?)`);
r.cost = costModel();
const report = renderReport(r, TARGETS, PRICES);
process.stdout.write(`\n${report.table}\n\n${report.noiseNote.replaceAll('**', '')}\n`);
if (r.failures.length) process.stdout.write(`\nFailed phases:\n${r.failures.map((f) => `- ${f}`).join('\n')}\n`);
if (r.warnings.length) process.stdout.write(`\nWarnings:\n${r.warnings.map((w) => `- ${w}`).join('\n')}\n`);
if (r.lost?.difference) process.stdout.write(`\nLOST OR EXTRA ORDERS: ${JSON.stringify(r.lost)}\n`);
if (!quick) {
  writeBenchmarksMd(path.join(projectRoot, 'BENCHMARKS.md'), report.markdown);
  note('BENCHMARKS.md numbers rewritten');
} else {
  const file = path.join(benchTmpDir(), 'BENCHMARKS.quick.md');
  writeFileSync(file, report.markdown);
  note(`quick run: BENCHMARKS.md left alone; this run's section is in ${file}`);
}
if (quick) {
  writeFileSync(path.join(benchTmpDir(), 'results.json'), JSON.stringify(r, null, 2));
  note(`raw results: ${path.join(benchTmpDir(), 'results.json')}`);
} else {
  // Bundles, packaged zips and harness results: nothing of a full run stays behind but BENCHMARKS.md.
  rmSync(benchTmpDir(), { recursive: true, force: true });
}
note(`done in ${r.finishedS.toFixed(0)} s${exitCode ? ' — FAILED: stored orders differ from accepted responses' : ''}`);
process.exit(exitCode || (r.failures.length ? 1 : 0));

// ---------------------------------------------------------------------------------------

async function measureStack(stack, processes, rss, durations) {
  const api = stack.apiUrl;
  const call = async (method, route, body, headers = {}) => {
    const response = await fetch(api + route, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  };
  // The DynamoDB requests counted in the bank's and the shop's processes, summed.
  const counter = async (reset = false) => {
    const sum = { counts: {}, largestWriteBytes: 0 };
    for (const { pid } of processes.slice(1)) {
      const port = readFileSync(path.join(counterDir, `${pid}.port`), 'utf8');
      const one = /** @type {{ counts: Record<string, number>, largestWriteBytes: number }} */ (
        await (await fetch(`http://127.0.0.1:${port}/${reset ? 'reset' : ''}`, { method: reset ? 'POST' : 'GET' })).json()
      );
      for (const [key, n] of Object.entries(one.counts)) sum.counts[key] = (sum.counts[key] ?? 0) + n;
      sum.largestWriteBytes = Math.max(sum.largestWriteBytes, one.largestWriteBytes);
    }
    return sum;
  };

  // Every order-creating response is tallied, whatever the phase, for the lost-orders check.
  const accepted = { 201: 0, 402: 0, other: {} };
  const tally = (statuses) => {
    for (const [code, n] of Object.entries(statuses)) {
      if (code === '201' || code === '402') accepted[code] += n;
      else accepted.other[code] = (accepted.other[code] ?? 0) + n;
    }
  };

  const setup = await phase(
    'bank faults off, bench users registered and logged in',
    async () => {
      await setBankFaults(stack, {});
      const suffix = randomBytes(4).toString('hex');
      const users = { orders: `bench-orders-${suffix}`, login: `bench-login-${suffix}`, cold: `bench-cold-${suffix}` };
      const password = `bench-password-${suffix}`;
      for (const username of [users.orders, users.login]) {
        const registered = await call('POST', '/auth/register', { username, password });
        if (registered.status !== 201) throw new Error(`register ${username} → ${registered.status} ${registered.text}`);
      }
      const login = await call('POST', '/auth/login', { username: users.orders, password });
      if (login.status !== 200) throw new Error(`login → ${login.status} ${login.text}`);
      return { users, password, token: login.json.access_token };
    },
    { timed: false },
  );
  if (!setup) return;
  const orderHeaders = { 'content-type': 'application/json', authorization: `Bearer ${setup.token}` };

  // The stack's CPU per order falls for its first several thousand orders (DynamoDB Local's JIT, and
  // every process's; BENCHMARKS.md, Method): it is warmed to its steady state before anything is
  // measured on it. The cold starts (after the order runs) need it too: a first invoke reaches
  // DynamoDB Local and the bank, and times the function's own cold start only if neither is cold (a
  // deployed function meets a warm DynamoDB; the bank's cold start has rows of its own).
  await phase(`warming the stack: ${warmUpText}`, async () => {
    const run = { url: `${api}/api/orders`, method: 'POST', headers: orderHeaders, body: orderBody };
    r.warmUp = await warmUntilSteady(run, processes, {
      ...T.warmUp,
      onChunk: (chunk) => {
        tally(chunk.statuses);
        note(`  warm-up: ${chunk.orders} orders, ${chunk.rps.toFixed(0)} orders/s, ${chunk.cpuMsPerOrder.toFixed(2)} ms of the stack's CPU per order`);
      },
    });
  });
  // The order runs come straight after the warm-up, as on the skeleton and tracing stacks: the phases
  // that follow leave the stack idle or busy with other work for tens of seconds, after which a c=16
  // run cost up to 0.5 ms more per order (BENCHMARKS.md, Warm-up).
  await phase('POST /api/orders: pilot runs', async () => {
    rss.mark('orders pilots');
    const pilot16 = await runLoad({ url: `${api}/api/orders`, connections: 16, amount: PILOT_ORDERS[16], method: 'POST', headers: orderHeaders, body: orderBody });
    tally(pilot16.statuses);
    const pilot1 = await runLoad({ url: `${api}/api/orders`, connections: 1, amount: PILOT_ORDERS[1], method: 'POST', headers: orderHeaders, body: orderBody });
    tally(pilot1.statuses);
    r.ordersPilot = { 1: pilot1.rps, 16: pilot16.rps };
  });

  // A fixed number of requests sized from the pilot runs (~T.orders seconds each): a timed run
  // would abort the requests in flight at its end, whose orders are stored but never answered.
  r.orders = {};
  for (const connections of [1, 16]) {
    await phase(`POST /api/orders at concurrency ${connections} (~${T.orders} s)`, async () => {
      const amount = ordersFor(r.ordersPilot?.[connections] ?? 50, connections, T.orders);
      rss.mark(`orders c=${connections}`);
      if (connections === 1) durations.start();
      const meter = cpuMeter(processes);
      const result = await runLoadApart({ url: `${api}/api/orders`, connections, amount, method: 'POST', headers: orderHeaders, body: orderBody });
      result.cpu = meter(result.responses, result.generatorCpuMs);
      if (connections === 1) result.durations = durations.stop();
      tally(result.statuses);
      r.orders[connections] = result;
    });
  }
  r.rss = { ordersC16Peak: rss.peak('orders c=16') };

  if (pkg) await measureColdStarts(stack, setup);

  await phase('DynamoDB Local ceiling: conditional puts of order-sized items (same client settings)', async () => {
    const orders = Object.values(pkg.tables).find((res) => res.Properties.TableName.endsWith('-orders'));
    const table = `bench-ceiling-${process.pid}`;
    const client = localDynamoClient(stack.dynamoEndpoint);
    try {
      await ensureTables(client, tableDefinitions({ Ceiling: { Type: 'AWS::DynamoDB::Table', Properties: { ...orders.Properties, TableName: table } } }));
    } finally {
      client.destroy();
    }
    const env = childEnv({ DYNAMODB_ENDPOINT: stack.dynamoEndpoint });
    const run = (concurrency, seconds) => runNodeJson(bundles.dynamoWrites, [table, String(concurrency), String(seconds)], { env });
    rss.mark('dynamo ceiling');
    r.dynamoWarmup = await run(16, T.ddbWarm);
    r.dynamo = { 1: await run(1, T.ddb1) };
    const meter = cpuMeter(processes);
    r.dynamo[16] = await run(16, T.ddb16);
    r.dynamo[16].cpu = meter(r.dynamo[16].writes);
    // The writer is a child of this process but not of the stack: its CPU is its own report.
    r.dynamo[16].cpu.perRequest['writer process'] = r.dynamo[16].writerCpuMs / r.dynamo[16].writes;
    r.dynamo[16].cpu.othersMsPerS = Math.max(0, r.dynamo[16].cpu.othersMsPerS - r.dynamo[16].writerCpuMs / r.dynamo[16].seconds);
    await dropBenchTable(stack, table);
  });

  await phase('authorizer session check against DynamoDB Local: cache hit vs miss (token-cpu harness, real reads)', async () => {
    const refreshTokens = Object.values(pkg.tables).find((res) => res.Properties.TableName.endsWith('-refresh-tokens'));
    const table = `bench-refresh-tokens-${process.pid}`;
    const client = localDynamoClient(stack.dynamoEndpoint);
    try {
      await ensureTables(client, tableDefinitions({ Sessions: { Type: 'AWS::DynamoDB::Table', Properties: { ...refreshTokens.Properties, TableName: table } } }));
    } finally {
      client.destroy();
    }
    rss.mark('session check');
    const meter = cpuMeter(processes.slice(0, 1));
    r.tokensDynamo = await runNodeJson(bundles.tokenCpu, [String(T.sessionReads)], {
      env: harnessEnv({ DYNAMODB_ENDPOINT: stack.dynamoEndpoint, REFRESH_TOKENS_TABLE: table, AWS_REGION: 'eu-west-3' }),
      timeoutMs: 120_000,
    });
    // DynamoDB Local's CPU over the harness run per GetItem: it reads 4 × sessionReads times (two uncached
    // runs, each with its warm-up) and writes 100 sessions first.
    r.tokensDynamo.dynamoLocalCpuMsPerRead = meter(4 * T.sessionReads).perRequest['DynamoDB Local'];
    await dropBenchTable(stack, table);
  });

  await phase('DynamoDB requests per paid order (sequential orders, counted at node:http in each process)', async () => {
    rss.mark('requests per order');
    const perOrder = async (withKey) => {
      await counter(true);
      durations.start();
      const statuses = {};
      for (let i = 0; i < T.seqOrders; i++) {
        const headers = withKey ? { ...orderHeaders, 'idempotency-key': `bench-${randomBytes(8).toString('hex')}` } : orderHeaders;
        const response = await call('POST', '/api/orders', JSON.parse(orderBody), headers);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
      tally(statuses);
      const { counts, largestWriteBytes } = await counter();
      const paid = statuses[201] ?? 0;
      if (paid !== T.seqOrders) throw new Error(`expected ${T.seqOrders} paid orders, got ${JSON.stringify(statuses)}`);
      return { orders: paid, counts, largestWriteBytes, durations: durations.stop() };
    };
    r.writes = { noKey: await perOrder(false), withKey: await perOrder(true) };
  });

  await phase(
    'stored orders = accepted responses (201 + 402)',
    async () => {
      const client = localDynamoClient(stack.dynamoEndpoint);
      const document = DynamoDBDocumentClient.from(client);
      const stored = {};
      let ExclusiveStartKey;
      const table = stack.env.ORDERS_TABLE ?? pkg.functions.find((fn) => fn.key === 'orders')?.env.ORDERS_TABLE;
      try {
        do {
          const page = await document.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'username = :u AND begins_with(sk, :p)',
              ExpressionAttributeValues: { ':u': setup.users.orders, ':p': 'ORDER#' },
              ExpressionAttributeNames: { '#s': 'status' },
              ProjectionExpression: '#s',
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) stored[item.status] = (stored[item.status] ?? 0) + 1;
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      } finally {
        client.destroy();
      }
      const storedTotal = Object.values(stored).reduce((a, b) => a + b, 0);
      const acceptedTotal = accepted[201] + accepted[402];
      r.lost = {
        accepted: acceptedTotal,
        responses201: accepted[201],
        responses402: accepted[402],
        otherResponses: accepted.other,
        stored,
        storedTotal,
        // Stored PAID/DECLINED must match 201/402 one for one, and nothing else may be stored.
        difference: storedTotal - acceptedTotal + Math.abs((stored.PAID ?? 0) - accepted[201]) + Math.abs((stored.DECLINED ?? 0) - accepted[402]),
      };
    },
    { timed: false },
  );

  await phase(`POST /auth/login at concurrency 4 (${T.login} s) and 1 (${T.login1} s)`, async () => {
    const body = JSON.stringify({ username: setup.users.login, password: setup.password });
    const headers = { 'content-type': 'application/json' };
    rss.mark('login');
    durations.start();
    const meter = cpuMeter(processes);
    r.login = { 4: await runLoadApart({ url: `${api}/auth/login`, connections: 4, durationS: T.login, method: 'POST', headers, body }) };
    r.login[4].cpu = meter(r.login[4].responses, r.login[4].generatorCpuMs);
    r.login[4].durations = durations.stop();
    r.login[1] = await runLoad({ url: `${api}/auth/login`, connections: 1, durationS: T.login1, method: 'POST', headers, body });
  });

  await phase(`GET /api/products at concurrency 16 (${T.products} s) and 1 (${T.products1} s)`, async () => {
    rss.mark('products');
    const meter = cpuMeter(processes);
    r.products = { 16: await runLoadApart({ url: `${api}/api/products`, connections: 16, durationS: T.products }) };
    r.products[16].cpu = meter(r.products[16].responses, r.products[16].generatorCpuMs);
    // One serverless-offline hop and nothing else, one request at a time: a bound for the order path at c=1.
    r.products[1] = await runLoad({ url: `${api}/api/products`, connections: 1, durationS: T.products1 });
  });
}

/**
 * How many orders make a run of about `seconds` at `rps` (a pilot's): a multiple of the connections,
 * at least 10 each. Runs send a fixed number of requests: a timed run would abort the ones in flight
 * at its end, whose orders are stored but never answered.
 */
function ordersFor(rps, connections, seconds) {
  return Math.max(connections * 10, Math.round((rps * seconds) / connections) * connections);
}

/**
 * The skeleton stack (lib/skeleton.mjs): the bench's stack with the authorizer, the orders handler
 * and the bank's payment handler replaced by ones that make the order's hops and conditional writes
 * through the functions' own clients and do nothing else. Warmed and measured as the main stack's
 * orders are (c=1, then c=16, each ~T.orders s): what it reaches bounds what any change to the
 * functions could reach on this stack (the report's skeleton rows).
 */
async function measureSkeleton() {
  const stack = await phase(
    'starting the skeleton stack (the order path with handlers that only do its I/O)',
    async () => startBenchStack({}, { bundles: await skeletonBundles({ stage: 'test' }) }),
    { timed: false },
  );
  if (!stack) return;
  try {
    await phase(`skeleton: POST /api/orders, warmed up as the main stack was, then c=1 and c=16 (~${T.orders} s each)`, async () => {
      const { orderRun } = await payingCustomer(stack, 'bench-skeleton');
      r.skeletonWarmUp = await warmUntilSteady(orderRun, stackProcesses(stack), T.warmUp);
      r.skeleton = {};
      for (const connections of [1, 16]) {
        const pilot = await runLoad({ ...orderRun, connections, amount: PILOT_ORDERS[connections] });
        const amount = ordersFor(pilot.rps, connections, T.orders);
        const meter = cpuMeter(stackProcesses(stack));
        const run = await runLoadApart({ ...orderRun, connections, amount });
        run.cpu = meter(run.responses, run.generatorCpuMs);
        r.skeleton[connections] = run;
      }
    });
  } finally {
    note('stopping the skeleton stack');
    await stack.stop();
  }
}

/**
 * Two stacks side by side, TRACING=on and TRACING=off, each warmed up, then POST /api/orders at
 * concurrency 16 on one and the other in turns (on, off, off, on: a machine that speeds up or slows
 * down during the phase weighs on both alike). Each stack's CPU is read from its own processes.
 */
async function measureTracingCost() {
  const stacks = await phase(
    'starting two more stacks for tracing on vs off (TRACING=on, TRACING=off)',
    async () => {
      const on = await startBenchStack({ TRACING: 'on' });
      try {
        return { on, off: await startBenchStack({ TRACING: 'off' }) };
      } catch (error) {
        await on.stop();
        throw error;
      }
    },
    { timed: false },
  );
  if (!stacks) return;
  try {
    await phase(`POST /api/orders at concurrency 16, tracing on vs off in turns (on, off, off, on; ~${T.tracing} s each)`, async () => {
      const configs = {};
      for (const [label, stack] of Object.entries(stacks)) {
        const { orderRun } = await payingCustomer(stack, `bench-tracing-${label}`);
        // The switch took: an answer names its trace (traceresponse) only with tracing on.
        const probe = await fetch(orderRun.url, { method: orderRun.method, headers: orderRun.headers, body: orderRun.body });
        await probe.text();
        configs[label] = { stack, orderRun, traceresponse: probe.headers.has('traceresponse'), runs: [] };
      }
      // Both warmed at once (the warm-up is not measured; each judges its own processes' CPU).
      await Promise.all(
        Object.values(configs).map(async (config) => {
          config.warmUp = await warmUntilSteady(config.orderRun, stackProcesses(config.stack), T.warmUp);
        }),
      );
      for (const config of Object.values(configs)) config.pilotRps = (await runLoad({ ...config.orderRun, connections: 16, amount: PILOT_ORDERS[16] })).rps;
      for (const label of ['on', 'off', 'off', 'on']) {
        const config = configs[label];
        const amount = ordersFor(config.pilotRps, 16, T.tracing);
        const meter = cpuMeter(stackProcesses(config.stack));
        const run = await runLoadApart({ ...config.orderRun, connections: 16, amount });
        run.cpu = meter(run.responses, run.generatorCpuMs);
        config.runs.push(run);
      }
      r.tracing = Object.fromEntries(Object.entries(configs).map(([label, config]) => [label, tracingSummary(config)]));
    });
  } finally {
    note('stopping the tracing stacks');
    await stacks.on.stop();
    await stacks.off.stop();
  }
}

/** One configuration's runs added up: orders/s over their time, CPU per order by process over their answers. */
function tracingSummary({ runs, traceresponse, warmUp }) {
  const responses = runs.reduce((sum, run) => sum + run.responses, 0);
  const seconds = runs.reduce((sum, run) => sum + run.durationS, 0);
  const cpuByProcess = {};
  for (const run of runs) {
    for (const [name, msPerOrder] of Object.entries(run.cpu.perRequest)) cpuByProcess[name] = (cpuByProcess[name] ?? 0) + (msPerOrder * run.responses) / responses;
  }
  return {
    traceresponse,
    warmUp,
    responses,
    ordersPerS: responses / seconds,
    cpuMsPerOrder: Object.values(cpuByProcess).reduce((a, b) => a + b, 0),
    cpuByProcess,
    othersMsPerS: runs.reduce((sum, run) => sum + run.cpu.othersMsPerS * run.durationS, 0) / seconds,
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors + run.timeouts, 0),
    runs: runs.map(({ rps, p50, p99, responses: answered }) => ({ rps, p50, p99, responses: answered })),
  };
}

/**
 * Deletes a table only the bench wrote (the ceiling's, the session check's): DynamoDB Local holds
 * every table in its memory, and the orders runs need not carry the bench's own rows (its RSS did
 * not measurably shrink for it, BENCHMARKS.md).
 */
async function dropBenchTable(stack, table) {
  const client = localDynamoClient(stack.dynamoEndpoint);
  try {
    await client.send(new DeleteTableCommand({ TableName: table }));
  } finally {
    client.destroy();
  }
}

async function measureColdStarts(stack, setup) {
  await phase(`cold starts: module init + first invoke, median of ${T.coldRuns} fresh processes per function`, async () => {
    const token = /** @type {{ access_token: string }} */ (
      await (
        await fetch(`${stack.apiUrl}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: setup.users.login, password: setup.password }),
        })
      ).json()
    ).access_token;
    const http = (method, resource, body, extra = {}) => ({
      resource,
      path: resource,
      httpMethod: method,
      headers: { 'Content-Type': 'application/json', ...(extra.headers ?? {}) },
      multiValueHeaders: {},
      queryStringParameters: null,
      pathParameters: extra.pathParameters ?? null,
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { requestId: `cold-${randomBytes(4).toString('hex')}`, ...(extra.authorizer ? { authorizer: extra.authorizer } : {}) },
    });
    const events = {
      auth: () => http('POST', '/auth/login', { username: setup.users.login, password: setup.password }),
      authorizer: () => ({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/test/POST/api/orders' }),
      orders: () => http('POST', '/api/orders', JSON.parse(orderBody), { authorizer: { principalId: setup.users.cold, username: setup.users.cold } }),
      'orders skeleton': () => events.orders(),
      // The bank's own API: the merchant key on payments, none on the (local-only) fault settings.
      'bank.payments': () =>
        http(
          'POST',
          '/bank/pay',
          { order_id: `cold-${randomBytes(6).toString('hex')}`, amount: 500, currency: 'EUR' },
          { headers: { Authorization: `Bearer ${stack.env.MERCHANT_KEY}` } },
        ),
      'bank.faults': () => http('GET', '/bank/faults'),
      ordersReconciler: () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} }),
    };
    // Any other function: its first HTTP route without a body, or a scheduled event.
    const eventFor = (fn) =>
      (
        events[fn.key] ??
        (fn.route
          ? () => http(fn.route.method, fn.route.resource)
          : () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), detail: {} }))
      )();
    r.cold = {};
    // The runtime's Node major is what a deployed function loads on; this host's may differ.
    r.coldNode = execFileSync(lambdaNode, ['--version'], { encoding: 'utf8' }).trim();
    const runtimes = [...new Set(pkg.functions.map((fn) => fn.runtime))];
    const majors = runtimes.map((runtime) => /^nodejs(\d+)/.exec(runtime ?? '')?.[1]);
    if (majors.some((major) => major !== /^v(\d+)/.exec(r.coldNode)?.[1])) {
      r.warnings.push(`cold starts ran on Node ${r.coldNode}; the functions deploy on ${runtimes.join(', ')}: \`--lambda-node <path>\` runs them on the runtime's major`);
    }
    const eventFile = path.join(benchTmpDir(), 'cold-event.json');
    // The order's I/O alone (harness/skeleton-orders.ts), cold, with orders' environment and event: what
    // orders' first invoke would take with nothing of its own code (as deployed only).
    const orders = pkg.functions.find((fn) => fn.key === 'orders');
    const skeleton = orders && bundles ? [{ ...orders, key: 'orders skeleton', bundle: bundles.skeletonOrders, exportName: 'handler', skeleton: true }] : [];
    for (const fn of [...pkg.functions, ...skeleton]) {
      const env = childEnv({
        ...fn.env,
        DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
        JWT_SECRET: stack.env.JWT_SECRET,
        // What npm start hands each service: the bank's address and key to the shop, the key to the bank.
        BANK_URL: stack.env.BANK_URL,
        BANK_MERCHANT_KEY: stack.env.MERCHANT_KEY,
        MERCHANT_KEY: stack.env.MERCHANT_KEY,
        AWS_REGION: 'eu-west-3',
        AWS_LAMBDA_FUNCTION_NAME: fn.key,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      });
      const runs = { asDeployed: [], withSourceMaps: [] };
      for (let i = 0; i < T.coldRuns; i++) {
        writeFileSync(eventFile, JSON.stringify(eventFor(fn)));
        // As deployed (NODE_OPTIONS from the template: empty unless LAMBDA_NODE_OPTIONS was set), then
        // with the mapped stack traces LAMBDA_NODE_OPTIONS=--enable-source-maps turns on.
        const args = [fn.bundle, fn.exportName, eventFile];
        runs.asDeployed.push(await runNodeJson(harness('cold-start.mjs'), args, { env, node: lambdaNode, timeoutMs: 30_000 }).catch((e) => ({ error: e.message })));
        if (i >= T.coldRunsSourceMaps || fn.skeleton) continue;
        writeFileSync(eventFile, JSON.stringify(eventFor(fn)));
        runs.withSourceMaps.push(
          await runNodeJson(harness('cold-start.mjs'), args, { env: { ...env, NODE_OPTIONS: '--enable-source-maps' }, node: lambdaNode, timeoutMs: 30_000 }).catch(
            (e) => ({
              error: e.message,
            }),
          ),
        );
      }
      const summarize = (list) => {
        const ok = list.filter((run) => run.initMs !== undefined);
        return {
          initMs: median(ok.map((run) => run.initMs)),
          firstInvokeMs: median(ok.map((run) => run.firstInvokeMs)),
          outcomes: [...new Set(list.map((run) => run.outcome ?? run.error))],
        };
      };
      r.cold[fn.key] = { asDeployed: summarize(runs.asDeployed), withSourceMaps: summarize(runs.withSourceMaps) };
    }
    // The plumbing every DynamoDB function loads before its own code (harness/init-plumbing.ts), timed
    // the same way: a bound on their inits.
    if (bundles) {
      const times = [];
      for (let i = 0; i < T.coldRuns; i++) {
        const printed = execFileSync(lambdaNode, [harness('time-require.cjs'), bundles.initPlumbing], { env: childEnv({ NODE_OPTIONS: '' }), encoding: 'utf8' });
        times.push(Number(printed));
      }
      r.coldPlumbing = { initMs: median(times), bytes: statSync(bundles.initPlumbing).size };
    }
  });
}

/**
 * Collects serverless-offline's per-invocation "Duration: N ms" lines, per function, while started,
 * from each given process (the shop's and the bank's), its function names given the process's prefix.
 */
function watchLambdaDurations(sources) {
  let current;
  const partials = new Map();
  for (const { child, prefix } of sources) {
    const onData = (chunk) => {
      if (!current) return;
      const lines = ((partials.get(child) ?? '') + chunk).split('\n');
      partials.set(child, lines.pop() ?? '');
      for (const line of lines) {
        const match = /\(λ: ([\w-]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/.exec(line);
        if (!match) continue;
        const name = prefix + match[1];
        current[name] ??= [];
        current[name].push(Number(match[2]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  }
  return {
    start() {
      current = {};
      partials.clear();
    },
    stop() {
      const collected = current ?? {};
      current = undefined;
      return Object.fromEntries(
        Object.entries(collected).map(([fn, values]) => {
          const sorted = [...values].sort((a, b) => a - b);
          return [fn, { count: values.length, meanMs: values.reduce((a, b) => a + b, 0) / values.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) }];
        }),
      );
    },
  };
}

/** Cost per million orders for both flows, from the durations and request units measured above. */
function costModel() {
  if (!r.writes || !pkg) return undefined;
  const memory = Object.fromEntries(pkg.functions.map((fn) => [fn.key, fn.memoryMb]));
  const flow = (w) => {
    const units = requestUnits(w.counts, w.orders);
    const fns = ['authorizer', 'orders', 'bank.payments'].map((name) => ({
      name,
      memoryMb: memory[name] ?? 1024,
      meanMs: w.durations[name]?.meanMs ?? 0,
      invocationsPerOrder: 1,
    }));
    // Two REST APIs, one request each: the shop's POST /api/orders, then the bank's POST /bank/pay.
    const apis = [
      { name: 'shop', requestsPerOrder: 1 },
      { name: 'bank', requestsPerOrder: 1 },
    ];
    return { units, functions: fns, apis, cost: costPerMillionOrders({ functions: fns, apis, wruPerOrder: units.wru, rruPerOrder: units.rru }) };
  };
  return { noKey: flow(r.writes.noKey), withKey: flow(r.writes.withKey) };
}

/** Request units per order from the counted requests (items < 1 KB: checked by `largestWriteBytes`). */
function requestUnits(counts, orders) {
  let writes = 0;
  let reads = 0;
  let wru = 0;
  let rru = 0;
  for (const [key, n] of Object.entries(counts)) {
    const [operation, , kind] = key.split(' ');
    if (kind === 'write') {
      writes += n;
      wru += operation.startsWith('TransactWriteItems/') ? 2 * n : n;
    } else if (kind === 'index-write') {
      wru += n;
    } else if (kind === 'read-strong' || kind === 'read-eventual') {
      reads += n;
      rru += kind === 'read-strong' ? n : n / 2;
    }
  }
  return { writes: writes / orders, reads: reads / orders, wru: wru / orders, rru: rru / orders };
}
