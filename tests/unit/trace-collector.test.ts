import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

/**
 * The local trace collector (scripts/local/trace-collector.mjs) fed log lines shaped as docs/tracing.md
 * describes, and read over real HTTP on the site server it is mounted on (loopback, a free port).
 */
type Service = 'shop' | 'bank';
interface Collector {
  onLine(service: Service, line: string): void;
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  stats(): Record<string, number>;
}
interface CollectorModule {
  createTraceCollector(options?: { now?: () => number }): Collector;
}
/** The bounds docs/trace-collector.md states. */
const LIMITS = { traces: 2000, invocationsPerTrace: 64, breakerWindowMs: 10 * 60 * 1000 };
interface Site {
  url: string;
  close(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const TOKEN = 'a1b2c3d4e5f60718';

let collectorModule: CollectorModule;
let serveSite: (options: { dir: string; port: number; handle: Collector['handle'] }) => Promise<Site>;
const siteDir = mkdtempSync(path.join(tmpdir(), 'collector-site-'));
let site: Site;
let collector: Collector;
let clock = T0;

beforeAll(async () => {
  // Plain ES modules, loaded by path as the other tests load scripts/local.
  collectorModule = (await import(path.join(root, 'scripts/local/trace-collector.mjs'))) as CollectorModule;
  ({ serveSite } = await import(path.join(root, 'scripts/site/serve.mjs')));
  writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>shop</title>');
});
afterAll(() => rmSync(siteDir, { recursive: true, force: true }));

// A fresh collector on a fresh server for each test, so no test sees another's lines.
beforeEach(async () => {
  clock = T0;
  collector = collectorModule.createTraceCollector({ now: () => clock });
  site = await serveSite({ dir: siteDir, port: 0, handle: collector.handle });
});
afterEach(async () => {
  await site.close();
});

async function get(route: string, method = 'GET') {
  const response = await fetch(site.url + route, { method });
  const text = await response.text();
  const json = text !== '' && response.headers.get('content-type')?.startsWith('application/json');
  return { status: response.status, headers: response.headers, text, body: json ? JSON.parse(text) : undefined };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A `request` line (docs/tracing.md). */
function requestLine(fields: Record<string, unknown> = {}): string {
  const startedAt = (fields.startedAt as number | undefined) ?? T0;
  return JSON.stringify({
    level: 'INFO',
    message: 'request',
    timestamp: iso(startedAt + 12),
    service: 'serverless-shop',
    function: 'orders',
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    requestId: 'req-orders',
    route: 'POST /api/orders',
    status: 201,
    durationMs: 12.3,
    startedAt,
    spans: [
      { name: 'validate', start: 0.1, dur: 0.3 },
      { name: 'price', start: 0.4, dur: 0.1, attrs: { items: 1, total_cents: 500 } },
      { name: 'bank.call', start: 1, dur: 6.2, attrs: { breaker_before: 'closed', breaker_after: 'closed', outcome: 'paid', status: 200, timeout_ms: 1500 } },
    ],
    ...fields,
  });
}

const bankLine = (fields: Record<string, unknown> = {}) =>
  requestLine({
    service: 'shop-bank',
    function: 'bank',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '53995c3f42cd8ad8',
    requestId: 'req-bank',
    route: 'POST /bank/pay',
    status: 200,
    durationMs: 4.1,
    startedAt: T0 + 1.5,
    spans: [{ name: 'bank.decision', start: 0.2, dur: 0.1, attrs: { decision: 'approved', injected_latency_ms: 0 } }],
    ...fields,
  });

const tokenLine = (message: 'token accepted' | 'token refused', fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 'INFO',
    message,
    timestamp: iso(((fields.startedAt as number) ?? T0) + 1),
    service: 'serverless-shop',
    function: 'authorizer',
    durationMs: 0.8,
    ...fields,
  });

const breakerLine = (message: string, at: number) =>
  JSON.stringify({ level: message.endsWith('opened') ? 'WARN' : 'INFO', message, timestamp: iso(at), service: 'serverless-shop' });

describe('GET /_local/traces/<traceId>', () => {
  it('groups the shop’s and the bank’s request lines by trace id, ordered by startedAt, with their spans', async () => {
    // The bank answers first, so its line is printed before the shop's.
    collector.onLine('bank', bankLine());
    collector.onLine('shop', requestLine({ parentSpanId: 'aaaaaaaaaaaaaaaa' }));
    collector.onLine('shop', requestLine({ traceId: OTHER_TRACE, route: 'GET /api/products' }));

    const { status, body, headers } = await get(`/_local/traces/${TRACE}`);

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(body).toEqual({
      traceId: TRACE,
      invocations: [
        {
          service: 'shop',
          function: 'orders',
          route: 'POST /api/orders',
          status: 201,
          startedAt: T0,
          durationMs: 12.3,
          spanId: '00f067aa0ba902b7',
          parentSpanId: 'aaaaaaaaaaaaaaaa',
          spans: JSON.parse(requestLine()).spans,
        },
        {
          service: 'bank',
          function: 'bank',
          route: 'POST /bank/pay',
          status: 200,
          startedAt: T0 + 1.5,
          durationMs: 4.1,
          spanId: 'b7ad6b7169203331',
          parentSpanId: '53995c3f42cd8ad8',
          spans: [{ name: 'bank.decision', start: 0.2, dur: 0.1, attrs: { decision: 'approved', injected_latency_ms: 0 } }],
        },
      ],
      refusals: [],
    });
  });

  it('answers empty arrays for a trace it has not seen', async () => {
    expect((await get(`/_local/traces/${OTHER_TRACE}`)).body).toEqual({ traceId: OTHER_TRACE, invocations: [], refusals: [] });
  });

  it('takes the start from the timestamp less the duration when a line has no startedAt, and no spans as []', async () => {
    const line = JSON.parse(requestLine());
    delete line.startedAt;
    delete line.spans;
    collector.onLine('shop', JSON.stringify(line));

    const [invocation] = (await get(`/_local/traces/${TRACE}`)).body.invocations;

    expect(invocation.startedAt).toBeCloseTo(T0 + 12 - 12.3, 5);
    expect(invocation.spans).toEqual([]);
  });

  it('joins the authorizer’s "token accepted" line through the request line’s authzRequestId', async () => {
    collector.onLine('shop', tokenLine('token accepted', { requestId: 'authz-1', startedAt: T0 - 1, durationMs: 0.9, sessionCache: 'miss' }));
    collector.onLine('shop', requestLine({ authzRequestId: 'authz-1', authzMs: 0.9, authzCached: false }));

    const [invocation] = (await get(`/_local/traces/${TRACE}`)).body.invocations;

    expect(invocation.authorizer).toEqual({ requestId: 'authz-1', durationMs: 0.9, startedAt: T0 - 1, cached: false, sessionCache: 'miss' });
  });

  it('says a cached authorizer decision is cached, without the line of the request that made it', async () => {
    collector.onLine('shop', tokenLine('token accepted', { requestId: 'authz-earlier', startedAt: T0 - 20_000, durationMs: 0.7 }));
    collector.onLine('shop', requestLine({ authzRequestId: 'authz-earlier', authzMs: 0.7, authzCached: true }));

    const [invocation] = (await get(`/_local/traces/${TRACE}`)).body.invocations;

    expect(invocation.authorizer).toEqual({ requestId: 'authz-earlier', durationMs: 0.7, cached: true });
  });

  it('finds the "token refused" lines of one token hash within [from - 1 s, to + 1 s], and none without a token', async () => {
    const refused = (requestId: string, tokenHash: string, startedAt: number) =>
      collector.onLine('shop', tokenLine('token refused', { requestId, tokenHash, startedAt, reason: 'TOKEN_EXPIRED', durationMs: 0.4 }));
    refused('too-early', TOKEN, T0 - 1001);
    refused('edge-before', TOKEN, T0 - 1000);
    refused('inside', TOKEN, T0 + 50);
    refused('other-token', 'ffffffffffffffff', T0 + 60);
    refused('edge-after', TOKEN, T0 + 1099.5);
    refused('too-late', TOKEN, T0 + 1100.5);

    // `to` as the site sends it: a start plus a measured duration, with a fraction.
    const { body } = await get(`/_local/traces/${TRACE}?token=${TOKEN}&from=${T0}&to=${T0 + 99.5}`);

    expect(body.refusals).toEqual([
      { at: T0 - 1000, requestId: 'edge-before', reason: 'TOKEN_EXPIRED', durationMs: 0.4 },
      { at: T0 + 50, requestId: 'inside', reason: 'TOKEN_EXPIRED', durationMs: 0.4 },
      { at: T0 + 1099.5, requestId: 'edge-after', reason: 'TOKEN_EXPIRED', durationMs: 0.4 },
    ]);
    expect((await get(`/_local/traces/${TRACE}?from=${T0}&to=${T0 + 100}`)).body.refusals).toEqual([]);
  });

  it.each([
    ['upper-case hex', TRACE.toUpperCase()],
    ['31 digits', TRACE.slice(1)],
    ['33 digits', `${TRACE}0`],
    ['not hex', 'z'.repeat(32)],
    ['empty', ''],
  ])('answers 400 VALIDATION_FAILED for a trace id that is %s', async (_case, id) => {
    const { status, body, headers } = await get(`/_local/traces/${id}`);

    expect(status).toBe(400);
    expect(body).toEqual({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['a token that is not 16 lower-case hex digits', `token=${TOKEN.toUpperCase()}`],
    ['a from that is not epoch ms', 'token=a1b2c3d4e5f60718&from=yesterday'],
  ])('answers 400 for %s', async (_case, query) => {
    expect((await get(`/_local/traces/${TRACE}?${query}`)).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('GET /_local/breaker', () => {
  beforeEach(() => {
    collector.onLine('shop', breakerLine('bank breaker opened', T0));
    collector.onLine('shop', breakerLine('bank breaker half-open', T0 + 2000));
    collector.onLine('shop', breakerLine('bank breaker closed', T0 + 2100));
    clock = T0 + 3000;
  });

  it('lists the events after since, oldest first, and the state at since', async () => {
    const { status, body, headers } = await get(`/_local/breaker?since=${T0 + 1000}`);

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      now: T0 + 3000,
      stateAtSince: 'open',
      events: [
        { at: T0 + 2000, state: 'half-open' },
        { at: T0 + 2100, state: 'closed' },
      ],
    });
    expect((await get(`/_local/breaker?since=${T0 - 1}`)).body).toMatchObject({
      stateAtSince: 'closed',
      events: [{ state: 'open' }, { state: 'half-open' }, { state: 'closed' }],
    });
    expect((await get(`/_local/breaker?since=${T0 + 5000}`)).body).toMatchObject({ stateAtSince: 'closed', events: [] });
  });

  it('keeps the last 10 minutes only, and still knows the state they left', async () => {
    collector.onLine('shop', breakerLine('bank breaker opened', T0 + 4000));
    clock = T0 + LIMITS.breakerWindowMs + 2500;

    const { body } = await get('/_local/breaker?since=0');

    expect(body).toEqual({ now: clock, stateAtSince: 'closed', events: [{ at: T0 + 4000, state: 'open' }] });
  });

  it('answers 400 for a since that is not epoch ms', async () => {
    expect((await get('/_local/breaker?since=-5')).status).toBe(400);
  });
});

describe('memory bounds', () => {
  const traceId = (n: number) => n.toString(16).padStart(32, '0');

  it('keeps the 2 000 most recently used traces: a new one evicts the least recently used', async () => {
    const { traces } = LIMITS;
    for (let n = 1; n <= traces; n++) collector.onLine('shop', requestLine({ traceId: traceId(n) }));
    // Reading trace 1 makes trace 2 the least recently used.
    expect((await get(`/_local/traces/${traceId(1)}`)).body.invocations).toHaveLength(1);

    collector.onLine('shop', requestLine({ traceId: traceId(traces + 1) }));

    expect((await get('/_local/status')).body).toEqual({ collecting: true, traces });
    expect((await get(`/_local/traces/${traceId(2)}`)).body.invocations).toEqual([]);
    expect((await get(`/_local/traces/${traceId(1)}`)).body.invocations).toHaveLength(1);
    expect((await get(`/_local/traces/${traceId(traces + 1)}`)).body.invocations).toHaveLength(1);
  });

  it('keeps the latest invocations of a trace up to its cap', async () => {
    const { invocationsPerTrace } = LIMITS;
    for (let n = 0; n < invocationsPerTrace + 5; n++) collector.onLine('shop', requestLine({ requestId: `r${n}`, startedAt: T0 + n }));

    const { invocations } = (await get(`/_local/traces/${TRACE}`)).body;

    expect(invocations).toHaveLength(invocationsPerTrace);
    expect(invocations[0].startedAt).toBe(T0 + 5);
    expect(collector.stats().invocations).toBe(invocationsPerTrace);
  });
});

describe('lines it does not keep', () => {
  it('skips what is not a JSON object, and JSON lines that are not its messages', async () => {
    for (const line of [
      'Server ready: http://localhost:5003 🚀',
      '(λ: orders) RequestId: 1b2c Duration: 12.34 ms Billed Duration: 13 ms',
      '{ not json',
      '[1, 2]',
      'null',
      '',
      JSON.stringify({ level: 'INFO', message: 'order placed', traceId: TRACE }),
      requestLine({ traceId: 'not-a-trace-id' }),
      requestLine({ traceId: TRACE.toUpperCase() }),
    ]) {
      collector.onLine('shop', line);
    }

    expect((await get('/_local/status')).body).toEqual({ collecting: true, traces: 0 });
    expect(collector.stats()).toMatchObject({ linesRead: 9, linesKept: 0, traces: 0, acceptedTokens: 0, refusals: 0, breakerEvents: 0 });
  });
});

describe('the HTTP answers on the site server', () => {
  it('answers GET /_local/status with the number of traces, no CORS header, and the site’s security headers', async () => {
    collector.onLine('shop', requestLine());

    const { status, body, headers } = await get('/_local/status');

    expect(status).toBe(200);
    expect(body).toEqual({ collecting: true, traces: 1 });
    expect(headers.get('access-control-allow-origin')).toBeNull();
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers HEAD with the headers and no body', async () => {
    const { status, text, headers } = await get('/_local/status', 'HEAD');

    expect(status).toBe(200);
    expect(text).toBe('');
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it.each(['/_local', '/_local/', '/_local/nothing', '/_local/traces', `/_local/traces/${TRACE}/more`, '/_local/status/x'])('answers 404 JSON for %s', async (route) => {
    const { status, body, headers } = await get(route);

    expect(status).toBe(404);
    expect(body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers 405 to %s, allowing GET and HEAD', async (method) => {
    const { status, body, headers } = await get('/_local/status', method);

    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('GET, HEAD');
    expect(body).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it('leaves every other path to the static files', async () => {
    const { status, headers, text } = await get('/history');

    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(text).toContain('<title>shop</title>');
  });
});
