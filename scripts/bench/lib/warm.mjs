// Warming a stack to its steady state before anything is measured on it (BENCHMARKS.md, Method:
// Warm-up). DynamoDB Local's JVM compiles its hot paths with C2 over the first several thousand
// orders, and the serverless-offline processes get cheaper per order for a while too: the stack
// runs chunks of orders until its CPU per order stops falling.
import { runLoad } from './load.mjs';
import { cpuMeter } from './procs.mjs';

/**
 * How the bench, profile.mjs and memory-experiment.mjs warm a stack: chunks of 2 000 orders, 5 to 10.
 * At least 10 000 orders, as long as C2 may still be compiling: with 3, two chunks in a row could
 * cost alike halfway down and stop the warm-up there. Steady within 2 %: with 5 %, a stack still
 * getting 4–5 % cheaper per chunk was taken as steady, and its measured runs were not.
 */
export const STEADY_WARM_UP = { chunk: 2000, minChunks: 5, maxChunks: 10, tolerance: 0.02 };

/**
 * Whether a warm-up may stop after these chunks: at least `minChunks`, and the last chunk's CPU per
 * order no more than `tolerance` below the one before it (it stopped falling; a chunk that costs
 * more than the one before is the host's noise, not a stack still warming).
 * @param {number[]} cpuMsPerOrder  the stack's CPU per order of each chunk so far, in order
 * @param {{ minChunks: number, tolerance: number }} options
 * @public (tests/unit/bench-warm.test.ts)
 */
export function isSteady(cpuMsPerOrder, { minChunks, tolerance }) {
  if (cpuMsPerOrder.length < Math.max(2, minChunks)) return false;
  const [before, last] = cpuMsPerOrder.slice(-2);
  return last >= before * (1 - tolerance);
}

/**
 * Runs `run` (autocannon options of one order) at c=16 in chunks of `chunk` orders until the stack's
 * CPU per order (its processes only, not this one) is steady by `isSteady`, or `maxChunks` ran.
 * @param {{ url: string, method?: string, headers?: Record<string, string>, body?: string }} run
 * @param {{ pid: number, name: string }[]} processes  the stack's processes (lib/shop.mjs stackProcesses)
 * @param {{ chunk: number, minChunks: number, maxChunks: number, tolerance?: number,
 *   onChunk?: (chunk: { orders: number, rps: number, cpuMsPerOrder: number, statuses: Record<string, number> }) => void }} options
 * @returns {Promise<{ chunks: { orders: number, rps: number, cpuMsPerOrder: number }[], steady: boolean }>}
 */
export async function warmUntilSteady(run, processes, { chunk, minChunks, maxChunks, tolerance = STEADY_WARM_UP.tolerance, onChunk = () => {} }) {
  const chunks = [];
  while (chunks.length < maxChunks) {
    const meter = cpuMeter(processes);
    const result = await runLoad({ ...run, connections: 16, amount: chunk });
    const { perRequest } = meter(result.responses);
    const cpuMsPerOrder = processes.reduce((sum, { name }) => sum + (perRequest[name] ?? 0), 0);
    const done = { orders: result.responses, rps: result.rps, cpuMsPerOrder };
    chunks.push(done);
    onChunk({ ...done, statuses: /** @type {Record<string, number>} */ (result.statuses) });
    const history = chunks.map((c) => c.cpuMsPerOrder);
    if (isSteady(history, { minChunks, tolerance })) return { chunks, steady: true };
  }
  return { chunks, steady: false };
}
