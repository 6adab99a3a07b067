// Where the serverless-offline processes spend their CPU under load: starts the stack with V8's
// sampling CPU profiler in the shop's and the bank's processes (the profiler --cpu-prof uses,
// started by cpu-profiler.cjs since Node refuses --cpu-prof in NODE_OPTIONS), runs POST
// /api/orders (or another path) at a concurrency, writes one .cpuprofile per process (open it in
// Chrome DevTools) and prints self time by package/module and the hottest functions of each.
//
// Frames in the functions' bundles are also mapped to their sources through the bundles' source
// maps (while the stack still has them), so the summary names the library or file of ours.
//
// The stack is warmed first as the bench warms its stacks (lib/warm.mjs). With --skeleton it is the
// bench's skeleton stack (lib/skeleton.mjs): the order path's handlers doing only its I/O, to set
// beside the real path's profile.
//
// Usage: node scripts/bench/profile.mjs [orders|login|products] [concurrency=16] [seconds=8] [--skeleton]
//        node scripts/bench/profile.mjs --summarize <file.cpuprofile>
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer } from 'source-map-js';
import { runLoad } from './lib/load.mjs';
import { payingCustomer, stackProcesses, startBenchStack } from './lib/shop.mjs';
import { skeletonBundles } from './lib/skeleton.mjs';
import { STEADY_WARM_UP, warmUntilSteady } from './lib/warm.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A readable bucket for a profile node: project bundle, npm package, Node internal module, or VM. */
function bucketOf(url, functionName) {
  if (!url) return `(${functionName || 'vm'})`;
  // The shop's bundles (functions/<dir>/<file>.js) and the bank's (bank/.esbuild/…/src/<file>.js).
  const bundle = /\/functions\/([\w-]+\/[\w-]+)\.js$/.exec(url) ?? /\/(src\/[\w-]+)\.js$/.exec(url);
  if (url.includes('.esbuild') && bundle) return `bundle ${bundle[1].replace(/^src\//, 'bank/')}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/') - 0));
  if (pkg) return pkg[1];
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
}

export function summarize(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  // Sample deltas are in microseconds; each sample is charged to its node.
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const buckets = new Map();
  const functions = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const bucket = bucketOf(callFrame.url, callFrame.functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${callFrame.functionName || '(anonymous)'} ${bucket}:${callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const lines = [];
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  lines.push(`profile ${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`);
  lines.push('', 'self time by package / module:');
  for (const [bucket, us] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${bucket}`);
  lines.push('', 'hottest functions (self time):');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${fn}`);

  // Inclusive: the share of samples with a bucket anywhere on the stack (counted once per sample).
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const bucketsOnStack = new Map();
  const stackBuckets = (id) => {
    if (bucketsOnStack.has(id)) return bucketsOnStack.get(id);
    const { callFrame } = byId.get(id);
    const up = parentOf.has(id) ? stackBuckets(parentOf.get(id)) : new Set();
    const mine = new Set(up);
    if (callFrame.url) mine.add(bucketOf(callFrame.url, callFrame.functionName));
    bucketsOnStack.set(id, mine);
    return mine;
  };
  const inclusive = new Map();
  for (const [id, us] of selfUs) for (const bucket of stackBuckets(id)) inclusive.set(bucket, (inclusive.get(bucket) ?? 0) + us);
  lines.push('', 'time with the package / module anywhere on the stack (inclusive):');
  for (const [bucket, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${bucket}`);

  // Native and VM frames say little alone: show who calls them, weighted by samples.
  const label = (id) => {
    const { callFrame } = byId.get(id);
    return `${callFrame.functionName || '(anonymous)'} [${bucketOf(callFrame.url, callFrame.functionName)}]`;
  };
  lines.push('', 'who calls the hottest native frames (3 callers up, by self time):');
  const native = [...selfUs].filter(([id]) => !byId.get(id).callFrame.url && !/^\((idle|program|garbage collector)\)$/.test(byId.get(id).callFrame.functionName));
  const chains = new Map();
  for (const [id, us] of native) {
    const chain = [label(id)];
    let at = parentOf.get(id);
    for (let depth = 0; depth < 3 && at !== undefined; depth++, at = parentOf.get(at)) chain.push(label(at));
    const key = chain.join(' ← ');
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  for (const [chain, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(us)}  ${chain}`);

  // Each sample charged to the innermost bundle frame on its stack, named by its source: what a
  // library or a file of ours costs, with the Node internals and native code it calls.
  const sourceOf = bundleSources();
  const bySource = new Map();
  for (const [id, us] of selfUs) {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const source = sourceOf(byId.get(at).callFrame);
      if (source) {
        bySource.set(source, (bySource.get(source) ?? 0) + us);
        break;
      }
    }
  }
  if (bySource.size) {
    const underBundles = [...bySource.values()].reduce((a, b) => a + b, 0);
    lines.push('', `the bundles' code by source (innermost bundle frame, with what it calls; ${pct(underBundles).trim()} in all):`);
    for (const [source, us] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${source}`);
  }
  return lines.join('\n');
}

/**
 * Names a bundle frame by its source file (a package and its file, or a path of ours) through the
 * bundle's source map beside it; undefined for other frames, or when the map is gone.
 */
function bundleSources() {
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      const file = `${url.startsWith('file:') ? fileURLToPath(url) : url}.map`;
      maps.set(url, url.includes('.esbuild') && existsSync(file) ? new SourceMapConsumer(JSON.parse(readFileSync(file, 'utf8'))) : undefined);
    }
    return maps.get(url);
  };
  return (/** @type {{ url: string, lineNumber: number, columnNumber: number }} */ frame) => {
    const map = frame.url ? mapOf(frame.url) : undefined;
    const source = map?.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber }).source;
    if (!source) return undefined;
    const clean = source.replace(/^(\.\.\/)+/, '');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:.*\/)?([^/]+)$/.exec(clean);
    return pkg ? `${pkg[1]} (${pkg[2]})` : clean;
  };
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--summarize') {
    console.log(summarize(args[1], Number(args[2] ?? 25)));
    return;
  }
  const skeleton = args.includes('--skeleton');
  const [target = 'orders', concurrencyArg = '16', secondsArg = '8'] = args.filter((arg) => arg !== '--skeleton');
  const profileDir = mkdtempSync(path.join(tmpdir(), 'shop-profile-'));
  const stack = await startBenchStack(
    {
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'INFO',
      NODE_OPTIONS: `--require ${path.join(path.dirname(new URL(import.meta.url).pathname), 'cpu-profiler.cjs')}`,
      BENCH_PROFILE_DIR: profileDir,
    },
    { bundles: skeleton ? await skeletonBundles({ stage: 'test' }) : undefined },
  );
  const names = new Map([
    [stack.offline.pid, 'shop'],
    [stack.bank.pid, 'bank'],
  ]);
  const profiled = [...names.keys()];
  try {
    const { username, password, orderRun } = await payingCustomer(stack, 'profile');
    const runs = {
      orders: orderRun,
      login: { url: `${stack.apiUrl}/auth/login`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) },
      products: { url: `${stack.apiUrl}/api/products` },
    };
    const run = runs[target];
    if (!run) throw new Error(`unknown target ${target}: orders, login or products`);
    // Warmed as the bench warms its stacks (lib/warm.mjs), with orders whatever the profiled path.
    await warmUntilSteady(orderRun, stackProcesses(stack), STEADY_WARM_UP);
    await runLoad({ ...run, connections: Number(concurrencyArg), durationS: 3 });
    for (const pid of profiled) process.kill(pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await runLoad({ ...run, connections: Number(concurrencyArg), durationS: Number(secondsArg) });
    console.log(
      `${target} c=${concurrencyArg}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.non2xx} non-2xx`,
    );
    // The profiles cover the measured run only.
    for (const pid of profiled) process.kill(pid, 'SIGUSR2');
    for (const pid of profiled) {
      const expected = path.join(profileDir, `offline-${pid}.cpuprofile`);
      for (let i = 0; i < 100 && !existsSync(expected); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Summarized while the stack's bundles, and their source maps, are still there.
    const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
    for (const name of files) {
      const file = path.join(profileDir, name);
      console.log(`\n${names.get(Number(/offline-(\d+)/.exec(name)?.[1])) ?? 'process'} serverless-offline: ${file}`);
      console.log(summarize(file));
    }
    if (!files.length) console.log(`no profile written in ${profileDir} (did the server exit cleanly?)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
