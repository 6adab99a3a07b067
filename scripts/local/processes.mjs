// Child processes we start and must stop: by PID, never by name.
import { spawn } from 'node:child_process';

/**
 * Spawns a long-running child, keeps the last lines of its output for error messages,
 * and lets the caller wait for a line matching `readyPattern`.
 */
/**
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, readyPattern?: RegExp, onLine?: (line: string) => void }} [options]
 */
export function startChild(name, command, args, { env, cwd, readyPattern, onLine } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = [];
  let exited = false;
  /** @type {(value?: unknown) => void} */
  let resolveReady = () => {};
  /** @type {(error: Error) => void} */
  let rejectReady = () => {};
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {});
  if (!readyPattern) resolveReady();

  const handleLine = (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (readyPattern?.test(line)) resolveReady();
    onLine?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(handleLine);
    });
  }
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      rejectReady(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready:\n${tail.join('\n')}`));
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      exited = true;
      rejectReady(error);
      resolve({ code: null, signal: null, error });
    });
  });

  return {
    name,
    child,
    ready,
    exit,
    output: () => tail.join('\n'),
    get running() {
      return !exited;
    },
    /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
    async stop(graceMs = 5000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => !exited && child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts several things side by side (a database, bundles): resolves with every result in order,
 * or, when one fails, undoes those that succeeded (`undo(result)`) and throws the first failure.
 * @param {Array<[Promise<any>, (started: any) => unknown]>} starts each start with its undo
 * @returns {Promise<any[]>}
 */
export async function startAllOrUndo(starts) {
  const results = await Promise.allSettled(starts.map(([start]) => start));
  const failed = results.find((result) => result.status === 'rejected');
  if (!failed) return results.map((result) => /** @type {PromiseFulfilledResult<any>} */ (result).value);
  await Promise.all(results.map((result, index) => (result.status === 'fulfilled' ? starts[index]?.[1](result.value) : undefined)));
  throw failed.reason;
}
