import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiResponse, api, bank, testStack, uniqueName } from '../support/env';
import { tokenForge } from '../support/forged-tokens';
import { bankContract, type Contract, expectConforms, findOperation, openApi, shopContract } from '../support/openapi';
import { NORMAL_FAULTS, newShopper, ORIGINAL_CART, type Shopper, setFaults, sleep } from './shop';

/**
 * The documents against the code — openapi.yaml for the shop, bank/openapi.yaml for the bank (a
 * service of its own): every route each serverless.yml declares is documented in its document
 * (and nothing else), the API serves its document, and real answers — one per documented status
 * that the running stack can produce — match the documented status, headers and body schema.
 */
const root = path.resolve(__dirname, '../..');
const { env, stage } = testStack();

/** `METHOD /path status` answered by the stack and checked against the document, per document. */
const exercised = new Map<Contract, Set<string>>([
  [shopContract, new Set()],
  [bankContract, new Set()],
]);

async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await api(method, route, body, headers);
  expectConforms(method, route, response);
  exercised.get(shopContract)!.add(`${method} ${findOperation(method, route)?.path} ${response.status}`);
  return response;
}

/** A call to the bank's API (`route` after /bank), with the merchant key unless `merchantKey` says otherwise. */
async function bankCall(
  method: string,
  route: string,
  body?: unknown,
  options: { merchantKey?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await bank(method, route, body, options);
  bankContract.expectConforms(method, `/bank${route}`, response);
  exercised.get(bankContract)!.add(`${method} ${bankContract.findOperation(method, `/bank${route}`)?.path} ${response.status}`);
  return response;
}

/** The http routes a service's serverless.yml declares on this stage (`serverless print` resolves its variables). */
async function declaredRoutes(serviceDir: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'print', '--stage', stage, '--format', 'json'],
    { cwd: serviceDir, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' }, maxBuffer: 10 * 1024 * 1024 },
  );
  const functions = JSON.parse(stdout).functions as Record<string, { events?: Array<{ http?: { method: string; path: string } }> }>;
  return Object.values(functions)
    .flatMap((fn) => fn.events ?? [])
    .flatMap((event) => (event.http ? [`${event.http.method.toUpperCase()} /${event.http.path}`] : []));
}

describe('the routes', () => {
  it.each([
    ['the shop', root, shopContract],
    ['the bank', path.join(root, 'bank'), bankContract],
  ] as const)(
    'every http route %s declares on this stage is documented in its document, and every documented route exists',
    async (_, serviceDir, contract) => {
      // The bank's fault routes exist on local stages only (this stage is one).
      const documented = contract.operations().map(({ method, path: route }) => `${method} ${route}`);
      expect((await declaredRoutes(serviceDir)).sort()).toEqual(documented.sort());
    },
    30_000,
  );

  it.each([
    ['openapi.yaml', shopContract],
    ['bank/openapi.yaml', bankContract],
  ] as const)('%s is well-formed: unique operation ids, every $ref resolves, every schema compiles in Ajv’s strict mode', (_, contract) => {
    const ids = contract.operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => contract.resolveRefs(contract.openApi)).not.toThrow();
    for (const name of Object.keys(contract.openApi.components.schemas ?? {})) expect(() => contract.componentValidator(name)).not.toThrow();
  });

  it('the shop documents no /bank route any more, and the bank documents only /bank routes', () => {
    expect(shopContract.operations().filter(({ path: route }) => route.startsWith('/bank'))).toEqual([]);
    expect(bankContract.operations().every(({ path: route }) => route.startsWith('/bank/'))).toBe(true);
  });

  it('GET /api/openapi.json serves the document (the whole of it on a local stage)', async () => {
    const response = await call('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual(openApi);
  });
});

describe('real answers match the documented schemas', () => {
  let shopper: Shopper;
  const forge = () => tokenForge({ secret: env.JWT_SECRET ?? '', nowSeconds: Math.floor(Date.now() / 1000) });
  const json = { 'content-type': 'application/json' };
  const tooLarge = (field: string) => JSON.stringify({ [field]: 'x'.repeat(17_000) });

  beforeAll(async () => {
    await setFaults(NORMAL_FAULTS);
    shopper = await newShopper('contract');
  });
  afterAll(() => setFaults(NORMAL_FAULTS));

  it('auth: register, login, validate, refresh, logout — each documented status', async () => {
    const username = uniqueName('contract');
    const password = 'a good password';
    expect((await call('POST', '/auth/register', { username, password })).status).toBe(201);
    expect((await call('POST', '/auth/register', { username: username.toUpperCase(), password })).status).toBe(409);
    expect((await call('POST', '/auth/register', { username: 'a', password })).status).toBe(400);
    expect((await call('POST', '/auth/register', tooLarge('username'), json)).status).toBe(413);
    expect((await call('POST', '/auth/register', 'username=a', { 'content-type': 'text/plain' })).status).toBe(415);

    const login = await call('POST', '/auth/login', { username, password });
    expect(login.status).toBe(200);
    expect((await call('POST', '/auth/login', { username, password: 'p'.repeat(73) })).body.code).toBe('PASSWORD_TOO_LONG');
    expect((await call('POST', '/auth/login', { username })).body.code).toBe('VALIDATION_FAILED');
    expect((await call('POST', '/auth/login', tooLarge('password'), json)).status).toBe(413);
    expect((await call('POST', '/auth/login', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    const locked = uniqueName('locked');
    for (let i = 0; i < 5; i++) expect((await call('POST', '/auth/login', { username: locked, password: 'wrong' })).status).toBe(401);
    expect((await call('POST', '/auth/login', { username: locked, password: 'wrong' })).status).toBe(429);

    expect((await call('POST', '/auth/validate', { token: login.body.access_token })).status).toBe(200);
    const expired = await forge().craft({}, { iat: 1, exp: 2 }).sign(forge().key);
    expect((await call('POST', '/auth/validate', { token: expired })).body.code).toBe('TOKEN_EXPIRED');
    expect((await call('POST', '/auth/validate', { token: 'x.y.z' })).body.code).toBe('TOKEN_INVALID');
    expect((await call('POST', '/auth/validate', { token: '' })).status).toBe(400);
    expect((await call('POST', '/auth/validate', tooLarge('token'), json)).status).toBe(413);
    expect((await call('POST', '/auth/validate', 'token', { 'content-type': 'text/plain' })).status).toBe(415);

    const rotated = await call('POST', '/auth/refresh', { refresh_token: login.body.refresh_token });
    expect(rotated.status).toBe(200);
    // Once more within the reuse interval (a lost answer), then reuse.
    expect((await call('POST', '/auth/refresh', { refresh_token: login.body.refresh_token })).status).toBe(200);
    expect((await call('POST', '/auth/refresh', { refresh_token: login.body.refresh_token })).body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await call('POST', '/auth/validate', { token: rotated.body.access_token })).body.code).toBe('TOKEN_REVOKED');
    expect((await call('POST', '/auth/refresh', { refresh_token: rotated.body.refresh_token })).body.code).toBe('REFRESH_TOKEN_INVALID');
    expect((await call('POST', '/auth/refresh', { refresh_token: 42 })).status).toBe(400);
    expect((await call('POST', '/auth/refresh', tooLarge('refresh_token'), json)).status).toBe(413);
    expect((await call('POST', '/auth/refresh', '', { 'content-type': 'text/plain' })).status).toBe(415);

    expect((await call('POST', '/auth/logout', { refresh_token: rotated.body.refresh_token })).status).toBe(200);
    expect((await call('POST', '/auth/logout', {})).status).toBe(400);
    expect((await call('POST', '/auth/logout', tooLarge('refresh_token'), json)).status).toBe(413);
    expect((await call('POST', '/auth/logout', '', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('catalogue and health', async () => {
    expect((await call('GET', '/api/products')).status).toBe(200);
    expect((await call('GET', '/api/health')).status).toBe(200);
  });

  it('POST /api/orders — each documented status', async () => {
    const order = (body: unknown, headers: Record<string, string> = {}) => call('POST', '/api/orders', body, { ...shopper.auth, ...headers });
    await setFaults({ success_rate: 1 });
    const paid = await order(ORIGINAL_CART, { 'idempotency-key': uniqueName('k') });
    expect(paid.status).toBe(201);
    await setFaults({ success_rate: 0 });
    expect((await order(ORIGINAL_CART)).status).toBe(402);
    expect((await order(ORIGINAL_CART, { 'idempotency-key': 'x'.repeat(256) })).body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    expect((await order({ items: [] })).body.code).toBe('VALIDATION_FAILED');
    expect((await call('POST', '/api/orders', ORIGINAL_CART)).status).toBe(401);
    expect((await order(tooLarge('items'), json)).status).toBe(413);
    expect((await order('items', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await order({ items: [{ article: 'Caviar', quantity: 1 }] })).body.code).toBe('UNKNOWN_ARTICLE');
    expect((await order({ items: [{ article: 'Fraises', quantity: 2, total_price: 0.5 }] })).body.code).toBe('PRICE_MISMATCH');
    expect(
      (
        await order({
          items: [
            { article: 'Laine', quantity: 60 },
            { article: 'laine', quantity: 60 },
          ],
        })
      ).body.code,
    ).toBe('QUANTITY_TOO_LARGE');

    // 409: the same key while the first request waits at the bank.
    await setFaults({ success_rate: 1, latency_ms: 400 });
    const key = uniqueName('k');
    const [first, second] = await Promise.all([
      order(ORIGINAL_CART, { 'idempotency-key': key }),
      sleep(100).then(() => order(ORIGINAL_CART, { 'idempotency-key': key })),
    ]);
    expect([first.status, second.status]).toEqual([201, 409]);
    expect((await order({ items: [{ article: 'Laine', quantity: 1 }] }, { 'idempotency-key': key })).body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // 503: one order while the bank is down (one failure leaves the breaker closed; the next success resets it).
    await setFaults({ latency_ms: 0, down: true });
    expect((await order(ORIGINAL_CART)).body.code).toBe('BANK_UNAVAILABLE');
    await setFaults({ down: false });
    expect((await order(ORIGINAL_CART)).status).toBe(201);

    // 503 PAYMENT_PENDING: the bank answers after the shop's timeout (then a success resets the breaker).
    await setFaults({ latency_ms: Number(env.BANK_TIMEOUT_MS ?? 1500) + 1000 });
    const pending = await order(ORIGINAL_CART);
    await setFaults({ latency_ms: 0 });
    expect(pending.body).toMatchObject({ code: 'PAYMENT_PENDING', order_status: 'PENDING' });
    expect((await order(ORIGINAL_CART)).status).toBe(201);
  });

  it('GET /api/orders/{order_id} — own order, unknown, malformed, no token', async () => {
    await setFaults({ success_rate: 1, latency_ms: 0, down: false });
    const placed = await call('POST', '/api/orders', ORIGINAL_CART, shopper.auth);
    expect((await call('GET', `/api/orders/${placed.body.order_id}`, undefined, shopper.auth)).status).toBe(200);
    expect((await call('GET', '/api/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV', undefined, shopper.auth)).status).toBe(404);
    expect((await call('GET', '/api/orders/not.an.id', undefined, shopper.auth)).status).toBe(400);
    expect((await call('GET', `/api/orders/${placed.body.order_id}`)).status).toBe(401);
  });

  it('GET /api/orders — pages, bad queries, no token', async () => {
    const page = await call('GET', '/api/orders?limit=1', undefined, shopper.auth);
    expect(page.body.next_cursor).toEqual(expect.any(String));
    expect((await call('GET', '/api/orders?limit=0', undefined, shopper.auth)).body.code).toBe('VALIDATION_FAILED');
    expect((await call('GET', '/api/orders?cursor=nope', undefined, shopper.auth)).body.code).toBe('INVALID_CURSOR');
    expect((await call('GET', '/api/orders')).status).toBe(401);
  });

  it('the bank: pay, payments and its fault controls', async () => {
    const orderId = uniqueName('contract');
    await setFaults({ success_rate: 1 });
    expect((await bankCall('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' })).status).toBe(200);
    expect((await bankCall('POST', '/pay', { order_id: orderId, amount: 501, currency: 'EUR' })).status).toBe(409);
    expect((await bankCall('POST', '/pay', { order_id: orderId, amount: 500 }, { merchantKey: null })).status).toBe(401);
    await setFaults({ success_rate: 0 });
    expect((await bankCall('POST', '/pay', { order_id: uniqueName('declined'), amount: 500, currency: 'EUR' })).status).toBe(402);
    expect((await bankCall('POST', '/pay', { order_id: 'a/b', amount: 5, currency: 'EUR' })).status).toBe(400);
    expect((await bankCall('POST', '/pay', tooLarge('order_id'), { headers: json })).status).toBe(413);
    expect((await bankCall('POST', '/pay', '', { headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await bankCall('GET', `/payments/${orderId}`)).status).toBe(200);
    expect((await bankCall('GET', `/payments/${uniqueName('none')}`)).status).toBe(404);
    expect((await bankCall('GET', '/payments/not.valid')).status).toBe(400);
    expect((await bankCall('GET', `/payments/${orderId}`, undefined, { merchantKey: 'x'.repeat(43) })).status).toBe(401);

    await setFaults({ error_rate: 1 });
    expect((await bankCall('POST', '/pay', { order_id: uniqueName('lost'), amount: 500, currency: 'EUR' })).status).toBe(500);
    expect((await bankCall('GET', `/payments/${orderId}`)).status).toBe(500);
    await setFaults({ error_rate: 0, down: true });
    expect((await bankCall('POST', '/pay', { order_id: uniqueName('down'), amount: 500, currency: 'EUR' })).status).toBe(503);
    expect((await bankCall('GET', `/payments/${orderId}`)).status).toBe(503);

    expect((await bankCall('GET', '/faults', undefined, { merchantKey: null })).status).toBe(200);
    expect((await bankCall('PUT', '/faults', NORMAL_FAULTS, { merchantKey: null })).status).toBe(200);
    expect((await bankCall('DELETE', '/faults', undefined, { merchantKey: null })).status).toBe(200);
    expect((await bankCall('PUT', '/faults', { latency_ms: -1 })).status).toBe(400);
    expect((await bankCall('PUT', '/faults', tooLarge('down'), { headers: json })).status).toBe(413);
    expect((await bankCall('PUT', '/faults', '', { headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it.each([
    // Exercised elsewhere: the database down (tests/faults/dynamodb-outage.test.ts); the breaker open (breaker.test.ts).
    [
      'openapi.yaml',
      shopContract,
      [
        'POST /auth/register 503',
        'POST /auth/login 503',
        'POST /auth/validate 503',
        'POST /auth/refresh 503',
        'POST /auth/logout 503',
        'GET /api/orders 503',
        'GET /api/orders/{order_id} 503',
      ],
    ],
    ['bank/openapi.yaml', bankContract, ['GET /bank/faults 503', 'PUT /bank/faults 503', 'DELETE /bank/faults 503']],
  ] as const)('every status %s documents was answered by the stack, except those only a fault can produce', (_, contract, faultOnly) => {
    const documented = contract
      .operations()
      .flatMap(({ method, path: route, operation }) => Object.keys(operation.responses).map((status) => `${method} ${route} ${status}`));
    const missing = documented.filter((entry) => !(faultOnly as readonly string[]).includes(entry) && !exercised.get(contract)!.has(entry));
    expect(missing).toEqual([]);
  });
});
