import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { send, uniqueName } from '../support/env';

/**
 * One trace across the shop and the bank (docs/tracing.md), on a stack of its own: the shared test
 * stack logs at WARN, and this test reads the INFO lines both serverless-offline processes print.
 */
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00f067aa0ba902b7';

type Stack = { apiUrl: string; stop(): Promise<void> };
let stack: Stack;
const lines: Array<{ service: 'bank' | 'shop'; entry: Record<string, unknown> }> = [];

beforeAll(async () => {
  // A plain ES module (shared with the global setup), loaded by path like tests/support/fault-stack.ts does.
  const { startStack } = (await import(path.join(__dirname, '../../scripts/local/stack.mjs'))) as { startStack(options: object): Promise<Stack> };
  stack = await startStack({
    env: { LOG_LEVEL: 'INFO', BANK_RANDOM_SEED: 'trace' },
    onLine: (service: 'bank' | 'shop', line: string) => {
      if (!line.startsWith('{')) return;
      try {
        lines.push({ service, entry: JSON.parse(line) });
      } catch {
        // Not a log line.
      }
    },
  });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
}, 60_000);

const call = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(method, path, { baseUrl: stack.apiUrl, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

interface Span {
  name: string;
  start: number;
  dur: number;
  attrs?: Record<string, string | number | boolean>;
  error?: string;
}
/** A request line's spans (contract: docs/tracing.md). */
const spansOf = (entry: Record<string, unknown> | undefined): Span[] => (Array.isArray(entry?.spans) ? (entry.spans as Span[]) : []);

/** `name;dur=…` entries of a Server-Timing header, by name. */
const timings = (header: string | null) => Object.fromEntries((header ?? '').split(',').map((entry) => [entry.trim().split(';')[0], entry.trim()]));

describe('a purchase with a traceparent', () => {
  it('answers the same trace id in traceresponse, Server-Timing with authz, bank, db and total, and the bank logs under that trace', async () => {
    // Prepare
    const username = uniqueName('trace');
    expect((await call('POST', '/auth/register', { username, password: 'a good password' })).status).toBe(201);
    const login = await call('POST', '/auth/login', { username, password: 'a good password' });
    const traceparent = `00-${TRACE}-${CALLER}-01`;

    // Act
    const order = await call(
      'POST',
      '/api/orders',
      { items: [{ article: 'Fraises', quantity: 1, total_price: 2.5 }] },
      { authorization: `Bearer ${login.body.access_token}`, traceparent },
    );

    // Assess: the answer
    expect([201, 402]).toContain(order.status);
    const [version, traceId, spanId, flags] = (order.headers.get('traceresponse') ?? '').split('-');
    expect({ version, traceId, flags }).toEqual({ version: '00', traceId: TRACE, flags: '01' });
    const entries = timings(order.headers.get('server-timing'));
    expect(Object.keys(entries).sort()).toEqual(['authz', 'bank', 'db', 'total']);
    for (const entry of Object.values(entries)) expect(entry).toMatch(/;dur=\d+(\.\d)?/);

    // Assess: the log lines of both services, once they are printed
    const deadline = Date.now() + 3000;
    const ofTrace = () => lines.filter(({ entry }) => entry.traceId === TRACE);
    const printed = () => ['shop', 'bank'].every((name) => ofTrace().some(({ service, entry }) => service === name && entry.message === 'request'));
    while (!printed() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const shopRequest = ofTrace().find(({ service, entry }) => service === 'shop' && entry.message === 'request');
    const bankRequest = ofTrace().find(({ service, entry }) => service === 'bank' && entry.message === 'request');
    expect(shopRequest?.entry).toMatchObject({ route: 'POST /api/orders', spanId, parentSpanId: CALLER, authzCached: false });
    expect(bankRequest?.entry).toMatchObject({ route: 'POST /bank/pay', traceId: TRACE });
    // The bank's span is a child of the shop's call, not of the browser's span nor the shop's own.
    expect(bankRequest?.entry.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect([CALLER, spanId]).not.toContain(bankRequest?.entry.parentSpanId);
    // The authorizer's line (no trace id locally: a TOKEN authorizer gets no headers) is found by the request id orders logged.
    const authzRequestId = shopRequest?.entry.authzRequestId;
    const accepted = lines.find(({ service, entry }) => service === 'shop' && entry.message === 'token accepted' && entry.requestId === authzRequestId);
    expect(accepted?.entry).toMatchObject({ function: 'authorizer', startedAt: expect.any(Number), sessionCache: expect.stringMatching(/^(hit|miss)$/) });
    expect(accepted?.entry.tokenHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(accepted?.entry)).not.toContain(login.body.access_token);

    // Assess: the spans of both request lines, under that one trace.
    expect(shopRequest?.entry).toMatchObject({ function: 'orders', startedAt: expect.any(Number) });
    expect(bankRequest?.entry).toMatchObject({ function: 'bank', startedAt: expect.any(Number) });
    const shopSpans = spansOf(shopRequest?.entry);
    const bankSpans = spansOf(bankRequest?.entry);
    expect(shopSpans.map((span) => span.name)).toEqual(expect.arrayContaining(['validate', 'price', 'dynamodb', 'bank.call']));
    expect(shopSpans.find((span) => span.name === 'price')?.attrs).toEqual({ items: 1, total_cents: 250 });
    const ordersWrites = shopSpans.filter((span) => span.name === 'dynamodb');
    for (const span of ordersWrites) expect(span.attrs).toMatchObject({ table: 'serverless-shop-test-orders' });
    expect(ordersWrites.map((span) => span.attrs?.operation)).toContain('PutItem');
    expect(shopSpans.find((span) => span.name === 'bank.call')?.attrs).toEqual({
      breaker_before: 'closed',
      breaker_after: 'closed',
      outcome: order.status === 201 ? 'paid' : 'declined',
      status: order.status === 201 ? 200 : 402,
      timeout_ms: expect.any(Number),
    });
    expect(bankSpans.find((span) => span.name === 'bank.decision')?.attrs).toEqual({
      decision: order.status === 201 ? 'approved' : 'declined',
      injected_latency_ms: 0,
    });
    expect(bankSpans).toContainEqual(expect.objectContaining({ name: 'dynamodb', attrs: { operation: 'PutItem', table: 'shop-bank-test-payments' } }));
    // Every span lies inside its invocation.
    for (const [entry, spans] of [
      [shopRequest?.entry, shopSpans],
      [bankRequest?.entry, bankSpans],
    ] as const) {
      for (const span of spans) expect(span.start + span.dur).toBeLessThanOrEqual(Number(entry?.durationMs) + 0.2);
    }
  });

  it('starts a trace of its own for a request without one, and says which', async () => {
    const products = await send('GET', '/api/products', { baseUrl: stack.apiUrl });
    expect(products.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(products.headers.get('server-timing')).toMatch(/^total;dur=/);
  });
});
