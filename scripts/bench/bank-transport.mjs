// CPU per bank call: the orders function's transport (functions/orders/bank-transport.ts, node:http
// with a kept-alive agent) against `fetch` (undici), the same POST and answer, in turns. The bank is
// a node:http server in the same process, so each figure includes the same server work.
// Usage: node scripts/bench/bank-transport.mjs [calls=5000]
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const calls = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(path.join(tmpdir(), 'bank-transport-'));
try {
  const outfile = path.join(dir, 'bank-transport.mjs');
  await build({
    entryPoints: [path.resolve(import.meta.dirname, '../../functions/orders/bank-transport.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  const { httpTransport } = await import(pathToFileURL(outfile).href);

  const answer = JSON.stringify({ order_id: 'o', amount: 900, currency: 'EUR', status: 'approved' });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://127.0.0.1:${address.port}/bank/pay`;
  const body = JSON.stringify({ order_id: 'o', amount: 900, currency: 'EUR' });
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer k', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
  const ways = {
    fetch: async () => {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(1500) });
      return [response.status, await response.text()];
    },
    'node:http transport': async () => {
      const response = await httpTransport(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(1500) });
      return [response.status, await response.text()];
    },
  };
  /** @type {Record<string, number[]>} */
  const results = { fetch: [], 'node:http transport': [] };
  for (const name of /** @type {const} */ (['fetch', 'node:http transport', 'node:http transport', 'fetch'])) {
    for (let i = 0; i < 1000; i++) await ways[name]();
    const cpu = process.cpuUsage();
    for (let i = 0; i < calls; i++) await ways[name]();
    const used = process.cpuUsage(cpu);
    results[name]?.push((used.user + used.system) / 1000 / calls);
  }
  server.close();
  for (const [name, runs] of Object.entries(results)) console.log(`${name}: ${runs.map((ms) => ms.toFixed(3)).join(' / ')} ms CPU per call (client and server)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
