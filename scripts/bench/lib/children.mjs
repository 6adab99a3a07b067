// Short-lived child processes of the benchmark: run, wait, read the JSON they wrote.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { benchTmpDir, nodeModules } from './build.mjs';

let resultSequence = 0;

/** Environment every harness child gets: the project's node_modules for externals, no SDK banner. */
export const childEnv = (extra = {}) => ({
  ...process.env,
  NODE_PATH: nodeModules,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...extra,
});

/**
 * Runs `node <file> <resultFile> ...args` and resolves with the JSON the child wrote to
 * <resultFile>. The child's stdout is discarded (handlers log there); stderr is kept for errors.
 * @param {string} file
 * @param {string[]} [args]
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs?: number, nodeArgs?: string[], node?: string }} [options] `node`: another Node binary than this one
 */
export function runNodeJson(file, args = [], { env = childEnv(), timeoutMs = 60_000, nodeArgs = [], node = process.execPath } = {}) {
  const resultFile = path.join(benchTmpDir(), `result-${process.pid}-${resultSequence++}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...nodeArgs, file, resultFile, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`${path.basename(file)} exited ${signal ?? code}: ${stderr.trim()}`);
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')));
      } catch (error) {
        reject(error);
      } finally {
        rmSync(resultFile, { force: true });
      }
    });
  });
}

/** A long-running child that prints `listening <port>` when ready (the bare server). */
export function startListeningChild(file, { env = childEnv() } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve({ pid: child.pid, port: Number(match[1]), stop: () => stopChild(child) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${path.basename(file)} exited ${code} before listening`)));
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
