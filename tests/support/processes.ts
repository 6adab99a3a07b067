import { execFileSync } from 'node:child_process';
// @ts-expect-error a plain .mjs script without types
import * as ports from '../../scripts/local/ports.mjs';

/** Every process below `pid` (children, their children…), from one `ps` listing. */
export function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((row): row is [number, number] => row.length === 2 && row.every(Number.isInteger));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of rows) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The command name of a process, or '' once it is gone. */
export function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The PIDs still running after a short grace (helpers such as esbuild's service exit with their parent). */
export async function survivors(pids: number[], graceMs = 3000): Promise<number[]> {
  for (let waited = 0; waited < graceMs && pids.some(isAlive); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive);
}

/** Whether something may listen on 127.0.0.1:port right now (scripts/local/ports.mjs). */
export const portIsFree: (port: number) => Promise<boolean> = ports.portIsFree;

/** A port free right now, out of the way of outgoing connections (scripts/local/ports.mjs). */
export const freePort: () => Promise<number> = ports.freePort;
