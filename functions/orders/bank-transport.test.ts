import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpTransport } from './bank-transport';

/** The bank call's transport against a real node:http server on loopback. */
let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string; socket: string }> = [];
let hold: ((res: http.ServerResponse) => void) | undefined;
/** Closes the connection of the next request without answering: on a connection used before (`reused`), or any. */
let dropNext: 'reused' | 'any' | undefined;
const usedSockets = new WeakSet<object>();
const dropped: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const reused = usedSockets.has(req.socket);
    usedSockets.add(req.socket);
    if (dropNext === 'any' || (dropNext === 'reused' && reused)) {
      dropNext = undefined;
      dropped.push(`${req.socket.remotePort}`);
      req.socket.destroy();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: `${req.socket.remotePort}` });
      if (hold) {
        hold(res);
        return;
      }
      res.writeHead(402, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'declined', échec: 'é' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpTransport', () => {
  it('sends the method, headers and body, and answers the status and the whole body as text', async () => {
    // Act
    const response = await httpTransport(`${base}/bank/pay`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"amount":1}',
    });

    // Assess
    expect(response.status).toBe(402);
    expect(JSON.parse(await response.text())).toEqual({ status: 'declined', échec: 'é' });
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/bank/pay', body: '{"amount":1}' });
    expect(request?.headers).toMatchObject({ authorization: 'Bearer k', 'content-type': 'application/json', 'content-length': '12' });
  });

  it('keeps the connection alive between calls', async () => {
    // Act
    await httpTransport(`${base}/bank/payments/a`, { method: 'GET', headers: {} });
    await httpTransport(`${base}/bank/payments/b`, { method: 'GET', headers: {} });

    // Assess
    const [first, second] = seen.slice(-2);
    expect(first?.socket).toBe(second?.socket);
  });

  it('gives up when the signal aborts, with the answer still pending', async () => {
    // Prepare
    const pending: http.ServerResponse[] = [];
    hold = (res) => pending.push(res);

    // Act
    const call = httpTransport(`${base}/bank/pay`, { method: 'POST', headers: {}, body: '{}', signal: AbortSignal.timeout(50) });

    // Assess
    await expect(call).rejects.toThrow();
    hold = undefined;
    for (const res of pending) res.end();
  });

  it('sends a call once more on a new connection when the kept-alive one is closed before any answer', async () => {
    // Prepare: a connection in the pool, which the server closes as the next call reuses it.
    await httpTransport(`${base}/bank/payments/warm`, { method: 'GET', headers: {} });
    const before = seen.length;
    dropNext = 'reused';

    // Act
    const response = await httpTransport(`${base}/bank/pay`, { method: 'POST', headers: {}, body: '{"order_id":"o1"}' });

    // Assess: answered once, on another connection than the one that was closed.
    expect(response.status).toBe(402);
    expect(dropped).toHaveLength(1);
    expect(seen.slice(before)).toEqual([expect.objectContaining({ url: '/bank/pay', body: '{"order_id":"o1"}' })]);
    expect(seen.at(-1)?.socket).not.toBe(dropped[0]);
  });

  it('does not send again when a new connection fails', async () => {
    // Prepare: no connection left in the pool, and the next one closed at once.
    server.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = seen.length;
    dropped.length = 0;
    dropNext = 'any';

    // Act
    const call = httpTransport(`${base}/bank/pay`, { method: 'POST', headers: {}, body: '{}' });

    // Assess
    await expect(call).rejects.toThrow();
    expect(dropped).toHaveLength(1);
    expect(seen.length).toBe(before);
  });

  it('refuses a URL that is neither http nor https', async () => {
    await expect(httpTransport('ftp://bank.example/pay', { method: 'GET', headers: {} })).rejects.toThrow(/http or https/);
  });
});
