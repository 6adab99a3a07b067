// serverless-offline, started as a direct node child so the PID we hold is the server.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startChild } from './processes.mjs';

const require = createRequire(import.meta.url);
const serverlessBin = path.join(path.dirname(require.resolve('serverless/package.json')), 'bin', 'serverless.js');
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const batchedOutput = path.join(projectRoot, 'scripts', 'local', 'batched-output.cjs');

/** OFFLINE_MAX_OLD_SPACE_MB, default 256; a value node would refuse is refused here, by name. */
function oldSpaceMb() {
  const value = process.env.OFFLINE_MAX_OLD_SPACE_MB || '256';
  if (!/^\d+$/.test(value) || Number(value) < 64) throw new Error(`OFFLINE_MAX_OLD_SPACE_MB must be a whole number of MB, at least 64 (got "${value}")`);
  return Number(value);
}

/**
 * The environment of every serverless process we start: the caller's, without its PREBUILT_HANDLERS
 * (a server started from inside another, as serverless-local-stack.cjs starts the bank, has its own),
 * no telemetry or notifications, then `env`.
 */
function serverlessEnv(env) {
  const { PREBUILT_HANDLERS, ...inherited } = process.env;
  return { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...inherited, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...env };
}

/**
 * `inProcess` (the default, used by `npm start`, tests and benchmarks) runs every handler in
 * the server's own process: fast, and module-scope state such as the circuit breaker persists.
 * `inProcess: false` uses worker threads and esbuild's watcher, so edited handlers reload.
 */
export const SERVICES = {
  /** The shop's API (serverless.yml at the root). */
  shop: { dir: projectRoot, name: 'serverless-offline' },
  /** The bank, a service of its own (bank/serverless.yml). */
  bank: { dir: path.join(projectRoot, 'bank'), name: 'bank (serverless-offline)' },
};

/**
 * Bundles a service's handlers in a process of its own (`serverless bundle`, scripts/serverless/esbuild.cjs),
 * so the serverless-offline process that runs them never loads serverless-esbuild (BENCHMARKS.md, Memory).
 * Returns the folder to hand to startOffline as `handlers`, and `remove()` for when no server uses it.
 * @param {{ service?: keyof typeof SERVICES, stage?: string, env?: Record<string, string>, timeoutMs?: number }} options
 */
export async function bundleHandlers({ service = 'shop', stage = 'local', env = {}, timeoutMs = 90_000 }) {
  const { dir, name } = SERVICES[service];
  // A folder no other bundle can have, whatever loaded this module (tests load it in more than one module registry).
  mkdirSync(path.join(dir, '.esbuild'), { recursive: true });
  const workFolder = path.relative(dir, mkdtempSync(path.join(dir, '.esbuild', 'bundle-')));
  const remove = () => rmSync(path.join(dir, workFolder), { recursive: true, force: true });
  const proc = startChild(`${name}: serverless bundle`, process.execPath, [serverlessBin, 'bundle', '--stage', stage], {
    cwd: dir,
    env: serverlessEnv({ ...env, ESBUILD_WORK_FOLDER: workFolder }),
  });
  const timer = setTimeout(() => proc.stop(), timeoutMs);
  const { code, signal } = await proc.exit;
  clearTimeout(timer);
  if (code !== 0) {
    remove();
    throw new Error(`${name}: \`serverless bundle\` failed (${signal ?? `code ${code}`}):\n${proc.output()}`);
  }
  return { folder: `${workFolder}/.build`, remove };
}

/**
 * In-process (`inProcess`), the handlers are those of `handlers` (from bundleHandlers), or bundled
 * here first; serverless-offline then runs them without serverless-esbuild. With worker threads,
 * serverless-esbuild builds in the server's process and rebuilds on change.
 * @param {{ service?: keyof typeof SERVICES, stage?: string, httpPort: number, lambdaPort: number, env?: Record<string, string>,
 *   inProcess?: boolean, handlers?: { folder: string, remove(): void }, onLine?: (line: string) => void, timeoutMs?: number }} options
 */
export async function startOffline({ service = 'shop', stage = 'local', httpPort, lambdaPort, env = {}, inProcess = true, handlers, onLine, timeoutMs = 90_000 }) {
  const { dir, name } = SERVICES[service];
  // Bundled here, removed when this server stops; given by the caller, the caller's to remove.
  const ownBundle = inProcess && !handlers ? await bundleHandlers({ service, stage, env, timeoutMs }) : undefined;
  const bundle = handlers ?? ownBundle;
  const args = [
    // V8 would let the heap grow towards a share of the machine's RAM; the server's live data
    // stays far below this. The young generation keeps V8's default (16 MB per semi-space): a
    // smaller one saves memory at the price of CPU per request under load (BENCHMARKS.md, Memory).
    ...(inProcess ? [`--max-old-space-size=${oldSpaceMb()}`] : []),
    // One write per event-loop turn for the log lines this script reads (batched-output.cjs).
    '--require',
    batchedOutput,
    serverlessBin,
    'offline',
    'start',
    '--stage',
    stage,
    '--httpPort',
    String(httpPort),
    '--lambdaPort',
    String(lambdaPort),
    '--localEnvironment',
  ];
  if (inProcess) args.push('--useInProcess');
  // With worker threads, serverless-esbuild bundles into a folder of its own and deletes it when this server stops.
  const workFolder = `.esbuild/offline-${process.pid}-${httpPort}`;
  const removeFolders = () => {
    rmSync(path.join(dir, workFolder), { recursive: true, force: true });
    ownBundle?.remove();
  };
  const proc = startChild(name, process.execPath, args, {
    cwd: dir,
    env: serverlessEnv({ ESBUILD_WORK_FOLDER: workFolder, ...(bundle ? { PREBUILT_HANDLERS: bundle.folder } : {}), ...env }),
    readyPattern: /Server ready:/,
    onLine,
  });
  const timer = setTimeout(() => proc.stop(), timeoutMs);
  try {
    await proc.ready;
  } catch (error) {
    await proc.stop();
    removeFolders();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const stop = async () => {
    await proc.stop();
    removeFolders();
  };
  return { url: `http://127.0.0.1:${httpPort}`, pid: proc.child.pid, process: proc, stop };
}
