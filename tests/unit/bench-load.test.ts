import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * The bench's load runs (scripts/bench/lib/load.mjs): requests/s must come from the run's real
 * length. autocannon reports the end of a fixed-amount run only at its next one-second tick.
 */
type RunLoad = (options: {
  url: string;
  connections: number;
  amount: number;
}) => Promise<{ rps: number; durationS: number; responses: number; statuses: Record<string, number> }>;
let runLoad: RunLoad;
let server: http.Server;
let url: string;
beforeAll(async () => {
  ({ runLoad } = await import(path.resolve(__dirname, '../../scripts/bench/lib/load.mjs')));
  server = http.createServer((_request, response) => setTimeout(() => response.end('{}'), 20));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('runLoad', () => {
  it('times a fixed number of requests from the first request to the last answer', async () => {
    // 40 answers of ≥ 20 ms each, 4 at a time: ≥ 200 ms, far from a whole second.
    const result = await runLoad({ url, connections: 4, amount: 40 });
    expect(result.responses).toBe(40);
    expect(result.statuses).toEqual({ 200: 40 });
    expect(result.durationS).toBeGreaterThanOrEqual(0.2);
    expect(result.durationS).toBeLessThan(0.9);
    expect(result.rps).toBeCloseTo(40 / result.durationS, 6);
  });
});
