import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBankClient, createBankPolicy } from '../../functions/orders/bank-client';
import { cartFingerprint, priceCart } from '../../functions/orders/catalogue';
import type { Order } from '../../functions/orders/model';
import { newOrderId } from '../../functions/orders/order-id';
import { createOrdersRepository } from '../../functions/orders/orders-repository';
import { hashKey } from '../../functions/orders/place-order';
import { reconcilePendingOrders } from '../../functions/orders/reconcile-orders';
import { type ApiResponse, api, bank, testDocumentClient, testDynamo, testStack, uniqueName } from '../support/env';
import { bankContract } from '../support/openapi';
import { bankPayment, closeBreaker, getOrder, health, listOrders, NORMAL_FAULTS, newShopper, ORIGINAL_CART, placeOrder, type Shopper, setFaults } from './shop';

/**
 * Who may move money, and what counts as paid. The bank is a service of its own: only a caller
 * holding the merchant key may pay or read payments, and the key is checked before anything else
 * (faults, latency, the body). The shop calls an order PAID only when the bank's payment is that
 * order's — same id, amount and currency — whoever else paid under its id. The shop's API no
 * longer has any /bank route.
 */
const { env, table, bankTable, bankUrl } = testStack();
const HALF_OPEN_AFTER_MS = Number(env.BREAKER_HALF_OPEN_AFTER_MS ?? 10_000);
const RECONCILE_AFTER_MS = Number(env.RECONCILE_AFTER_MS ?? 60_000);
const MERCHANT_KEY = env.MERCHANT_KEY!;
const db = testDocumentClient();
const orders = createOrdersRepository(testDynamo(), table('orders'));

let shopper: Shopper;
beforeAll(async () => {
  shopper = await newShopper('trust');
  await closeBreaker(shopper, HALF_OPEN_AFTER_MS);
});
afterAll(() => setFaults(NORMAL_FAULTS));

const storedPayment = async (orderId: string) => (await db.send(new GetCommand({ TableName: bankTable('payments'), Key: { orderId }, ConsistentRead: true }))).Item;

describe('the bank without the merchant credential', () => {
  /** What a stranger may present instead of the key; `headers` replaces the Authorization header. */
  const credentials: Array<{ description: string; merchantKey: string | null; headers?: Record<string, string> }> = [
    { description: 'no Authorization header', merchantKey: null },
    { description: 'a wrong key', merchantKey: `wrong-${'k'.repeat(43)}` },
    { description: 'the key with one character changed', merchantKey: `${MERCHANT_KEY.slice(0, -1)}${MERCHANT_KEY.endsWith('A') ? 'B' : 'A'}` },
    { description: 'the key cut short', merchantKey: MERCHANT_KEY.slice(0, -1) },
    { description: 'the key with a suffix', merchantKey: `${MERCHANT_KEY}x` },
    { description: 'the key under the Basic scheme', merchantKey: null, headers: { authorization: `Basic ${MERCHANT_KEY}` } },
    { description: 'the key without a scheme', merchantKey: null, headers: { authorization: MERCHANT_KEY } },
    { description: 'an empty Bearer', merchantKey: null, headers: { authorization: 'Bearer ' } },
  ];
  /** Every payment route, with valid and invalid input: the credential is refused before any of it is read. */
  const routes = (orderId: string): Array<{ description: string; method: string; path: string; body?: unknown; headers?: Record<string, string> }> => [
    { description: 'POST /pay, a valid body', method: 'POST', path: '/pay', body: { order_id: orderId, amount: 500, currency: 'EUR' } },
    { description: 'POST /pay, 1 cent', method: 'POST', path: '/pay', body: { order_id: orderId, amount: 1, currency: 'EUR' } },
    { description: 'POST /pay, no currency', method: 'POST', path: '/pay', body: { order_id: orderId, amount: 500 } },
    { description: 'POST /pay, broken JSON', method: 'POST', path: '/pay', body: '{"order_id":' },
    { description: 'POST /pay, not JSON', method: 'POST', path: '/pay', body: 'order_id=x', headers: { 'content-type': 'text/plain' } },
    { description: 'GET /payments/{order_id}', method: 'GET', path: `/payments/${orderId}` },
    { description: 'GET /payments/{malformed}', method: 'GET', path: '/payments/not.an.id' },
  ];
  const faultSettings: Array<[string, Partial<typeof NORMAL_FAULTS>]> = [
    ['no fault', NORMAL_FAULTS],
    ['the bank down', { ...NORMAL_FAULTS, down: true }],
    ['3 s of latency', { ...NORMAL_FAULTS, latency_ms: 3000 }],
    ['every answer lost (error_rate 1)', { ...NORMAL_FAULTS, error_rate: 1, success_rate: 1 }],
  ];
  const triedIds: string[] = [];
  afterAll(() => setFaults(NORMAL_FAULTS));

  it.each(faultSettings)(
    'gets 401 MERCHANT_UNAUTHORIZED from every payment route at once, with %s',
    async (_, faults) => {
      // Prepare
      await setFaults(faults);
      const orderId = uniqueName('stranger');
      triedIds.push(orderId);
      const refusals: Array<{ case: string; status: number; code: unknown; challenge: string | null; fast: boolean }> = [];

      // Act
      for (const credential of credentials) {
        for (const route of routes(orderId)) {
          const started = performance.now();
          const response: ApiResponse = await bank(route.method, route.path, route.body, {
            merchantKey: credential.merchantKey,
            headers: { ...route.headers, ...credential.headers },
          });
          const ms = performance.now() - started;
          bankContract.expectConforms(route.method, `/bank${route.path}`, response);
          refusals.push({
            case: `${credential.description} → ${route.description}`,
            status: response.status,
            code: response.body?.code,
            challenge: response.headers.get('www-authenticate'),
            fast: ms < 1000,
          });
        }
      }

      // Assess: refused before the faults, the latency included, were even looked at.
      for (const refusal of refusals) {
        expect(refusal).toEqual({ case: refusal.case, status: 401, code: 'MERCHANT_UNAUTHORIZED', challenge: 'Bearer realm="bank"', fast: true });
      }
    },
    60_000,
  );

  it('recorded nothing: the merchant finds no payment under any id a stranger tried, and the key itself still pays', async () => {
    // Prepare
    await setFaults({ ...NORMAL_FAULTS, success_rate: 1 });

    // Act
    const reads = await Promise.all(triedIds.map((orderId) => bankPayment(orderId)));
    const control = await bank('POST', '/pay', { order_id: uniqueName('merchant'), amount: 500, currency: 'EUR' });

    // Assess
    expect(triedIds).toHaveLength(faultSettings.length);
    for (const read of reads) expect(read).toMatchObject({ status: 404, body: { code: 'PAYMENT_NOT_FOUND' } });
    for (const orderId of triedIds) expect(await storedPayment(orderId)).toBeUndefined();
    expect(control).toMatchObject({ status: 200, body: { amount: 500, currency: 'EUR', calls: 1 } });
  });
});

describe('a payment someone else makes under a PENDING order’s id never makes the order PAID', () => {
  const cart = priceCart(ORIGINAL_CART.items);

  /** A PENDING order the bank never received (what a lost request leaves), `ageMs` old, bound to `key` if given. */
  async function pendingOrder(ageMs: number, key?: string): Promise<Order> {
    const at = Date.now() - ageMs;
    const order: Order = {
      orderId: newOrderId(at),
      username: shopper.username,
      status: 'PENDING',
      lines: cart.lines,
      totalCents: cart.totalCents,
      currency: 'EUR',
      createdAt: new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
    };
    const claim =
      key === undefined ? undefined : { keyHash: hashKey(key), orderId: order.orderId, fingerprint: cartFingerprint(cart), expiresAt: Math.floor(at / 1000) + 3600 };
    await orders.create(order, claim);
    return order;
  }

  /** Someone holding the merchant key pays under the order's id first: 1 cent (or the right amount in another currency). */
  async function payUnder(orderId: string, amount = 1, currency = 'EUR'): Promise<void> {
    await setFaults({ ...NORMAL_FAULTS, success_rate: 1 });
    expect(await bank('POST', '/pay', { order_id: orderId, amount, currency })).toMatchObject({ status: 200, body: { status: 'approved', amount, currency } });
  }

  const stored = (orderId: string) => orders.find(shopper.username, orderId);

  it('on read: GET /api/orders/{order_id} settles it FAILED AMOUNT_MISMATCH, and the shop pays nothing under it', async () => {
    // Prepare
    const order = await pendingOrder(5000);
    await payUnder(order.orderId);

    // Act
    const read = await getOrder(shopper, order.orderId);
    const again = await getOrder(shopper, order.orderId);

    // Assess
    expect(read).toMatchObject({ status: 200, body: { order_id: order.orderId, status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH', total_cents: 500 } });
    expect(again.body).toEqual(read.body);
    expect(await stored(order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect((await bankPayment(order.orderId)).body).toMatchObject({ amount: 1, currency: 'EUR', calls: 1 });
  });

  it('on read: the right amount in another currency is no payment either', async () => {
    const order = await pendingOrder(5000);
    await payUnder(order.orderId, order.totalCents, 'USD');

    const read = await getOrder(shopper, order.orderId);

    expect(read).toMatchObject({ status: 200, body: { status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH' } });
  });

  it('on a retry with its Idempotency-Key: the order is FAILED AMOUNT_MISMATCH, and the retry is a fresh order, charged in full once', async () => {
    // Prepare: old enough that the retry does not take it for a request still in flight (409).
    const key = uniqueName('key');
    const order = await pendingOrder(10_000, key);
    await payUnder(order.orderId);

    // Act
    const retry = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });

    // Assess: never PAID on the stranger's cent; the customer's money goes under a new order id.
    expect(await stored(order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect((await getOrder(shopper, order.orderId)).body).toMatchObject({ status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH' });
    expect((await bankPayment(order.orderId)).body).toMatchObject({ amount: 1, calls: 1 });
    expect(retry).toMatchObject({ status: 201, body: { order_status: 'PAID', total_cents: 500 } });
    expect(retry.body.order_id).not.toBe(order.orderId);
    expect((await bankPayment(retry.body.order_id)).body).toMatchObject({ amount: 500, currency: 'EUR', status: 'approved', calls: 1 });
    // The key now answers the fresh order.
    const replay = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
    expect(replay).toMatchObject({ status: 201, body: { order_id: retry.body.order_id } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('in the reconciler: settled FAILED AMOUNT_MISMATCH, and a second run changes nothing', async () => {
    // Prepare: older than RECONCILE_AFTER_MS, so the reconciler takes it.
    const order = await pendingOrder(RECONCILE_AFTER_MS + 5 * 60_000);
    await payUnder(order.orderId);
    const bankClient = createBankClient({
      endpoint: async () => ({ baseUrl: bankUrl, merchantKey: MERCHANT_KEY }),
      policy: createBankPolicy({ timeoutMs: 2000, failures: 3, halfOpenAfterMs: 1000 }),
    });
    const deps = {
      orders,
      bank: bankClient,
      clock: { now: () => Date.now() },
      policy: { idempotencyTtlSeconds: 3600, inProgressMs: 3_500, payWindowMs: RECONCILE_AFTER_MS - 20_000, reconcileAfterMs: RECONCILE_AFTER_MS },
    };

    // Act
    const report = await reconcilePendingOrders(deps, { batchSize: 1000 });
    const settled = await stored(order.orderId);
    await reconcilePendingOrders(deps, { batchSize: 1000 });

    // Assess
    expect(report.failed).toBeGreaterThanOrEqual(1);
    expect(settled).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect(await stored(order.orderId)).toEqual(settled);
    expect((await getOrder(shopper, order.orderId)).body).toMatchObject({ status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH' });
    expect((await bankPayment(order.orderId)).body).toMatchObject({ amount: 1, calls: 1 });
  });
});

describe('the shop’s API after the bank moved out', () => {
  it.each([
    ['POST', '/bank/pay', { order_id: 'shop-bank-route', amount: 500, currency: 'EUR' }],
    ['GET', '/bank/payments/x', undefined],
    ['GET', '/bank/faults', undefined],
    ['PUT', '/bank/faults', { down: true }],
  ] as const)('answers 404 to %s %s, with or without the merchant key, and nothing reaches the bank', async (method, route, body) => {
    const anonymous = await api(method, route, body);
    const withKey = await api(method, route, body, { authorization: `Bearer ${MERCHANT_KEY}` });
    expect([anonymous.status, withKey.status]).toEqual([404, 404]);
    expect(await storedPayment('shop-bank-route')).toBeUndefined();
    expect((await bank('GET', '/faults')).body.down).toBe(false);
  });

  it('reports merchant_credential "accepted" on /api/health once an order has reached the bank', async () => {
    await setFaults(NORMAL_FAULTS);
    const placed = await placeOrder(shopper);
    expect([201, 402]).toContain(placed.status);

    const report = await health();

    expect(report).toMatchObject({ breaker: 'closed', merchant_credential: 'accepted', bank: NORMAL_FAULTS });
    expect((await listOrders(shopper)).body.orders.some((order: { order_id: string }) => order.order_id === placed.body.order_id)).toBe(true);
  });
});
