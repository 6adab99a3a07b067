// serverless-offline, started as a direct node child so the PID we hold is the server.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startChild } from './processes.mjs';

const require = createRequire(import.meta.url);
const serverlessBin = path.join(path.dirname(require.resolve('serverless/package.json')), 'bin', 'serverless.js');
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** OFFLINE_MAX_OLD_SPACE_MB, default 256; a value node would refuse is refused here, by name. */
function oldSpaceMb() {
  const value = process.env.OFFLINE_MAX_OLD_SPACE_MB || '256';
  if (!/^\d+$/.test(value) || Number(value) < 64) throw new Error(`OFFLINE_MAX_OLD_SPACE_MB must be a whole number of MB, at least 64 (got "${value}")`);
  return Number(value);
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

export async function startOffline({ service = 'shop', stage = 'local', httpPort, lambdaPort, env = {}, inProcess = true, onLine, timeoutMs = 90_000 }) {
  const { dir, name } = SERVICES[service];
  const args = [
    // V8 would let the heap grow towards a share of the machine's RAM; the server's live data
    // stays far below this. A 2 MB young generation (semi-space) instead of 16 MB takes ≈ 15–30 MB off
    // each process at no measurable CPU cost (see BENCHMARKS.md, Memory).
    ...(inProcess ? [`--max-old-space-size=${oldSpaceMb()}`, '--max-semi-space-size=2'] : []),
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
  // A bundle folder of its own: serverless-esbuild deletes it when this server stops.
  const workFolder = `.esbuild/offline-${process.pid}-${httpPort}`;
  const proc = startChild(name, process.execPath, args, {
    cwd: dir,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      ESBUILD_WORK_FOLDER: workFolder,
      ...env,
    },
    readyPattern: /Server ready:/,
    onLine,
  });
  const timer = setTimeout(() => proc.stop(), timeoutMs);
  try {
    await proc.ready;
  } catch (error) {
    await proc.stop();
    rmSync(path.join(dir, workFolder), { recursive: true, force: true });
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const stop = async () => {
    await proc.stop();
    rmSync(path.join(dir, workFolder), { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${httpPort}`, pid: proc.child.pid, process: proc, stop };
}
