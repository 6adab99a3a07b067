import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bankPayment, listOrders, NORMAL_FAULTS, newShopper, ORIGINAL_CART, placeOrder, type Shopper, setFaults } from '../e2e/shop';
import { type ApiResponse, api, bank, testDocumentClient, uniqueName } from '../support/env';
import { type FaultStack, startFaultStack } from '../support/fault-stack';
import { bankContract, expectConforms } from '../support/openapi';
import { retryUntil, waitFor } from '../support/wait';

/**
 * DynamoDB Local stopped in the middle of a run, then started again on the same port with its
 * data: every route that needs it answers 503 STORAGE_UNAVAILABLE at once, no order that could
 * not be written reaches the bank, and the API recovers by itself — same process, same data.
 */
let stack: FaultStack;
let shopper: Shopper;
const PASSWORD = 'a good password';

beforeAll(async () => {
  // A bank timeout above the bank latency the second scenario uses.
  stack = await startFaultStack({ env: { BANK_TIMEOUT_MS: '6000' } });
  stack.use();
  await setFaults(NORMAL_FAULTS);
  shopper = await newShopper('outage');
}, 120_000);
afterAll(() => stack?.stop(), 60_000);

async function timed(run: () => Promise<ApiResponse>): Promise<ApiResponse & { ms: number }> {
  const started = performance.now();
  const response = await run();
  return { ...response, ms: performance.now() - started };
}

describe('DynamoDB Local stopped mid-run', () => {
  it('answers 503 STORAGE_UNAVAILABLE at once, calls no bank for an order it could not record, and recovers without a restart', async () => {
    // Prepare: the shop works; then the database goes away.
    const first = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': 'before-outage' });
    expect([201, 402]).toContain(first.status);
    const apiPid = stack.apiPid();
    const bankCalls = stack.proxy.payCalls.length;
    await stack.stopDynamo();

    // Act
    const needsStorage: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['POST', '/api/orders', ORIGINAL_CART, shopper.auth],
      ['POST', '/api/orders', ORIGINAL_CART, { ...shopper.auth, 'idempotency-key': 'during-outage' }],
      ['GET', '/api/orders', undefined, shopper.auth],
      ['GET', `/api/orders/${first.body.order_id}`, undefined, shopper.auth],
      // The session behind an access token is read on every validation.
      ['POST', '/auth/validate', { token: shopper.token }],
      ['POST', '/auth/login', { username: shopper.username, password: PASSWORD }],
      ['POST', '/auth/register', { username: uniqueName('outage'), password: PASSWORD }],
      ['POST', '/auth/refresh', { refresh_token: shopper.refreshToken }],
      ['POST', '/auth/logout', { refresh_token: shopper.refreshToken }],
    ];
    // The bank's own API, called directly (as the shop would, with the merchant key).
    const bankNeedsStorage: Array<[string, string, unknown?]> = [
      ['PUT', '/faults', NORMAL_FAULTS],
      ['GET', '/faults'],
      ['POST', '/pay', { order_id: 'outage-1', amount: 100, currency: 'EUR' }],
      ['GET', '/payments/outage-1'],
    ];
    const answers = [];
    for (const [method, route, body, headers] of needsStorage) answers.push({ method, route, ...(await timed(() => api(method, route, body, headers))) });
    const bankAnswers = [];
    for (const [method, route, body] of bankNeedsStorage) bankAnswers.push({ method, route: `/bank${route}`, ...(await timed(() => bank(method, route, body))) });
    const products = await api('GET', '/api/products');
    const health = await api('GET', '/api/health');

    // Assess: a clear 503, in well under a second or two, and nothing sent to the bank.
    for (const [answer, contract] of [...answers.map((a) => [a, undefined] as const), ...bankAnswers.map((a) => [a, bankContract] as const)]) {
      expect({ route: `${answer.method} ${answer.route}`, status: answer.status, code: answer.body?.code }).toEqual({
        route: `${answer.method} ${answer.route}`,
        status: 503,
        code: 'STORAGE_UNAVAILABLE',
      });
      expect(answer.body.message).toBe('Base de données indisponible, veuillez réessayer plus tard.');
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.ms).toBeLessThan(3000);
      (contract ?? { expectConforms }).expectConforms(answer.method, answer.route, answer);
    }
    expect(stack.proxy.payCalls).toHaveLength(bankCalls);
    // What needs no database keeps working.
    expect([products.status, health.status]).toEqual([200, 200]);
    expect(health.body.bank).toBeNull();

    // Act: the database comes back on the same port, with its data.
    await stack.startDynamo();
    const after = await retryUntil(
      () => placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': 'during-outage' }),
      (r) => r.status !== 503,
      { attempts: 40, delayMs: 250 },
    );

    // Assess: same API process, the earlier order kept, the retried key placed once.
    expect([201, 402]).toContain(after.status);
    expect(stack.apiPid()).toBe(apiPid);
    const orders = (await listOrders(shopper)).body.orders.map((order: { order_id: string }) => order.order_id);
    expect(orders.sort()).toEqual([first.body.order_id, after.body.order_id].sort());
    expect(stack.proxy.payCalls.filter((id) => id === after.body.order_id)).toHaveLength(1);
    expect((await api('POST', '/auth/login', { username: shopper.username, password: PASSWORD })).status).toBe(200);
  });

  it('an outage between the bank’s answer and the status update leaves the order PENDING; the retry settles it from the bank’s record, charged once', async () => {
    // Prepare: the bank records its decision, then takes 4 s to answer.
    await setFaults({ success_rate: 1, latency_ms: 4000 });
    const key = uniqueName('gap');
    const db = testDocumentClient();
    const calls = stack.proxy.payCalls.length;

    // Act: the database goes away once the bank has recorded the payment, before it answers.
    const pending = placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
    await waitFor(() => stack.proxy.payCalls.length > calls, { timeoutMs: 10_000 });
    const orderId = stack.proxy.payCalls[calls]!;
    await waitFor(async () => (await db.send(new GetCommand({ TableName: stack.bankTable('payments'), Key: { orderId } }))).Item !== undefined, { timeoutMs: 5000 });
    // The item is visible a moment before DynamoDB's answer reaches the bank: killing it in that
    // moment fails the bank's own write instead. Well inside the bank's 4 s, its write has returned.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stack.killDynamo();
    const during = await pending;
    await stack.startDynamo();
    // The order could not be marked answered during the outage: 409 until it is a few seconds old.
    const retried = await retryUntil(
      () => placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key }),
      (r) => r.status !== 409 && r.status !== 503,
      { attempts: 60, delayMs: 500 },
    );
    await setFaults(NORMAL_FAULTS);

    // Assess
    expect(during).toMatchObject({ status: 503, body: { code: 'STORAGE_UNAVAILABLE' } });
    expect(retried).toMatchObject({ status: 201, body: { order_id: orderId, order_status: 'PAID' } });
    expect(stack.proxy.payCalls.filter((id) => id === orderId)).toHaveLength(1);
    expect((await bankPayment(orderId)).body).toMatchObject({ status: 'approved', calls: 1 });
    const mine = (await listOrders(shopper)).body.orders.filter((order: { order_id: string }) => order.order_id === orderId);
    expect(mine).toMatchObject([{ status: 'PAID' }]);
  });
});
