import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { send, testStack, uniqueName } from '../support/env';

/**
 * CORS on the local stack is the site's origin only, as deployed (serverless.yml
 * `custom.apiCors`). serverless-offline 14.8.2 answers any Origin (also `null`) with
 * credentials and overwrites the function's own headers; patches/serverless-offline+14.8.2.patch
 * fixes that. If the patch stops applying, these fail.
 */
const root = path.resolve(__dirname, '../..');
const { env, stage, apiUrl, bankUrl } = testStack();
/** The bank's own API (its routes are `/bank/…` on its own origin). */
const bankOrigin = new URL(bankUrl).origin;
const SITE = env.SITE_ORIGIN ?? process.env.SITE_ORIGIN ?? 'http://localhost:5000';
const FOREIGN = ['http://evil.example', 'null'];

interface CorsRoute {
  method: string;
  path: string;
  headers: string[];
  /** Which API serves it: the shop's or the bank's. */
  baseUrl: string;
}
let routes: CorsRoute[];

/** Every http route of a service with its cors, as offline sees them (`serverless print` resolves the stage's variables). */
async function corsRoutes(serviceDir: string, baseUrl: string): Promise<CorsRoute[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'print', '--stage', stage, '--format', 'json'],
    { cwd: serviceDir, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' }, maxBuffer: 10 * 1024 * 1024 },
  );
  const printed = JSON.parse(stdout).functions as
    | Record<string, { events?: Array<{ http?: { method: string; path: string; cors?: { origin?: string; headers?: string[] } } }> }>
    | Array<Record<string, { events?: Array<{ http?: { method: string; path: string; cors?: { origin?: string; headers?: string[] } } }> }>>;
  // The bank's serverless.yml lists its functions as an array of maps (some exist on local stages only).
  const functions = Array.isArray(printed) ? Object.assign({}, ...printed) : printed;
  return Object.values(functions as Record<string, { events?: Array<{ http?: { method: string; path: string; cors?: { origin?: string; headers?: string[] } } }> }>)
    .flatMap((fn) => fn.events ?? [])
    .flatMap(({ http }) =>
      http?.cors
        ? [{ method: http.method.toUpperCase(), path: `/${http.path.replace(/\{[^}]+\}/g, 'x')}`, headers: http.cors.headers ?? [], origin: http.cors.origin, baseUrl }]
        : [],
    )
    .map(({ origin, ...route }) => {
      expect(origin).toBe(SITE);
      return route;
    });
}

beforeAll(async () => {
  routes = [...(await corsRoutes(root, apiUrl)), ...(await corsRoutes(path.join(root, 'bank'), bankOrigin))];
}, 30_000);

const preflight = (route: CorsRoute, origin: string, requestHeaders = route.headers) =>
  send('OPTIONS', route.path, {
    baseUrl: route.baseUrl,
    headers: {
      origin,
      'access-control-request-method': route.method,
      ...(requestHeaders.length ? { 'access-control-request-headers': requestHeaders.join(',').toLowerCase() } : {}),
    },
  });

const list = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);

/** An answer to another origin: no Access-Control-Allow-Origin for it (the function's own, for the site, may stay). */
function expectNotAllowed(headers: Headers, origin: string) {
  const allowOrigin = headers.get('access-control-allow-origin');
  expect([null, SITE]).toContain(allowOrigin);
  expect(allowOrigin).not.toBe(origin);
  expect(headers.get('access-control-allow-credentials')).toBeNull();
}

describe('CORS preflights', () => {
  it('every http route with cors declares the site origin, and there are some', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('from the site origin: its origin, the methods and the event’s cors headers, no credentials', async () => {
    for (const route of routes) {
      const response = await preflight(route, SITE);
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(list(response.headers.get('access-control-allow-methods'))).toContain(route.method.toLowerCase());
      const allowed = list(response.headers.get('access-control-allow-headers'));
      for (const header of route.headers) expect(allowed).toContain(header.toLowerCase());
    }
  });

  it.each(FOREIGN)('from %s: no Access-Control-Allow-Origin, no credentials', async (origin) => {
    for (const route of routes) {
      const response = await preflight(route, origin);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('a method the path does not have is not added to the allowed methods, whatever is asked', async () => {
    const response = await preflight({ method: 'DELETE', path: '/auth/login', headers: [], baseUrl: apiUrl }, 'http://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(list(response.headers.get('access-control-allow-methods'))).not.toContain('delete');
  });
});

describe('CORS on answers', () => {
  const calls: Array<[string, string, string, { headers?: Record<string, string>; body?: string; baseUrl?: string }]> = [
    ['the function’s 200', 'GET', '/api/products', {}],
    [
      'the function’s 401',
      'POST',
      '/auth/login',
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: uniqueName('cors'), password: 'not the password' }) },
    ],
    ['the bank’s fault settings', 'GET', '/bank/faults', { baseUrl: bankOrigin }],
    ['the authorizer’s 401 (made by serverless-offline)', 'GET', '/api/orders', {}],
  ];

  it.each(calls)('%s to the site origin: Access-Control-Allow-Origin is the site, no credentials', async (_label, method, route, init) => {
    const response = await send(method, route, { ...init, headers: { ...init.headers, origin: SITE } });
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it.each(FOREIGN.flatMap((origin) => calls.map(([label, ...rest]) => [`${label} to ${origin}`, origin, ...rest] as const)))(
    '%s: no Access-Control-Allow-Origin for it, no credentials',
    async (_label, origin, method, route, init) => {
      const response = await send(method, route, { ...init, headers: { ...init.headers, origin } });
      expectNotAllowed(response.headers, origin);
    },
  );

  it('the function’s own CORS headers reach the browser as it set them (offline adds none of its own)', async () => {
    const response = await send('GET', '/api/products', { headers: { origin: SITE } });
    expect(response.status).toBe(200);
    // serverless-offline's defaults (corsExposedHeaders) would be appended here.
    expect(list(response.headers.get('access-control-expose-headers'))).not.toContain('www-authenticate');
    // hapi would append its own `origin` to the function's `Vary: Origin`.
    expect(list(response.headers.get('vary')).filter((name) => name === 'origin')).toHaveLength(1);
  });

  // Routes that declare no CORS get none, as on API Gateway: the bank's payment routes (server to
  // server), and paths that exist nowhere.
  const noCors: Array<[string, string, string, string]> = [
    ['the bank’s payment', 'POST', '/bank/pay', bankOrigin],
    ['the bank’s payment record', 'GET', '/bank/payments/x', bankOrigin],
    ['an unknown path of the shop', 'GET', '/nowhere', apiUrl],
  ];
  it.each(noCors.flatMap(([label, ...rest]) => [SITE, ...FOREIGN].map((origin) => [`${label} from ${origin}`, origin, ...rest] as const)))(
    '%s: no CORS header at all, on the answer or the preflight',
    async (_label, origin, method, route, baseUrl) => {
      const answer = await send(method, route, { baseUrl, headers: { origin } });
      const preflighted = await send('OPTIONS', route, { baseUrl, headers: { origin, 'access-control-request-method': method } });
      for (const { headers } of [answer, preflighted]) {
        expect(headers.get('access-control-allow-origin')).toBeNull();
        expect(headers.get('access-control-allow-credentials')).toBeNull();
      }
    },
  );
});
