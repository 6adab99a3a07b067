// One load run with autocannon's programmatic API. Latencies are collected from every
// response (not only 2xx) with sub-millisecond resolution, and status codes are counted.
import path from 'node:path';
import autocannon from 'autocannon';
import { runNodeJson } from './children.mjs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * @param {object} options
 * @param {string} options.url
 * @param {number} options.connections
 * @param {number} [options.durationS]
 * @param {number} [options.amount]  a fixed number of requests instead of a duration: every
 *   request sent is answered before the run ends (a timed run aborts the ones in flight).
 * @param {string} [options.method]
 * @param {Record<string,string>} [options.headers]
 * @param {string} [options.body]
 */
export async function runLoad({ url, connections, durationS, amount, method = 'GET', headers = {}, body }) {
  const latencies = [];
  const statuses = {};
  const started = performance.now();
  let lastResponseAt = started;
  const instance = autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: durationS }),
    method,
    headers,
    body,
    timeout: 10,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    lastResponseAt = performance.now();
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const responses = latencies.length;
  const non2xx = Object.entries(statuses).reduce((sum, [code, n]) => (code.startsWith('2') ? sum : sum + n), 0);
  // Requests/s from the first request to the last answer. autocannon's own start and finish are no
  // use for a fixed `amount`: it notices the end only at its next one-second tick, so its length
  // is rounded up to whole seconds (a 10 s run could read up to 10 % slow).
  const elapsedS = (lastResponseAt - started) / 1000 || durationS;
  return {
    connections,
    durationS: elapsedS,
    rps: responses / elapsedS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    responses,
    statuses,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * `runLoad` in a child process (harness/load-generator.mjs): the same result, plus `generatorCpuMs`,
 * the CPU the generator itself spent on the run, for the runs whose CPU per request is reported.
 * @param {Parameters<typeof runLoad>[0]} options
 * @returns {Promise<Awaited<ReturnType<typeof runLoad>> & { generatorCpuMs: number }>}
 */
export function runLoadApart(options) {
  const generator = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'harness', 'load-generator.mjs');
  return runNodeJson(generator, [JSON.stringify(options)], { timeoutMs: 10 * 60_000 });
}
