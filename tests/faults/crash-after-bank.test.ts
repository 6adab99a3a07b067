import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bankPayment, listOrders, NORMAL_FAULTS, newShopper, ORIGINAL_CART, placeOrder, type Shopper, setFaults } from '../e2e/shop';
import { testDocumentClient, uniqueName } from '../support/env';
import { type FaultStack, startFaultStack } from '../support/fault-stack';
import { retryUntil, waitFor } from '../support/wait';

/**
 * The crash the order flow exists for: the bank has charged, and the process dies before the
 * order's status is updated (the test-only switch FAULT_CRASH_AFTER_BANK_ANSWER kills the shop's API
 * with SIGKILL at that instant). After a restart, each such order ends in exactly one final
 * state, with exactly one payment: by a retry with the same Idempotency-Key, or by the reconciler.
 */
const RECONCILE_AFTER_MS = 30_000;
const CRASH = { FAULT_CRASH_AFTER_BANK_ANSWER: 'true' };
let stack: FaultStack;
let shopper: Shopper;

beforeAll(async () => {
  stack = await startFaultStack({ env: { RECONCILE_AFTER_MS: String(RECONCILE_AFTER_MS) } });
  stack.use();
  await setFaults(NORMAL_FAULTS);
  shopper = await newShopper('crash');
}, 120_000);
afterAll(() => stack?.stop(), 60_000);

/** Places an order on an API that will die answering it; resolves with the order id the bank saw. */
async function orderThatCrashes(headers: Record<string, string>, cart: unknown): Promise<string> {
  await stack.restartApi(CRASH);
  const calls = stack.proxy.payCalls.length;
  const outcome = await placeOrder(shopper, cart, headers).then(
    (response) => `answered ${response.status}`,
    () => 'connection lost',
  );
  const exit = await stack.apiExit();
  expect({ outcome, signal: exit.signal }).toEqual({ outcome: 'connection lost', signal: 'SIGKILL' });
  expect(stack.proxy.payCalls).toHaveLength(calls + 1);
  return stack.proxy.payCalls[calls]!;
}

describe('a crash between the bank’s answer and the status update', () => {
  it('ends each order in exactly one final state with exactly one payment, by a retry with the same key or by the reconciler', async () => {
    const db = testDocumentClient();
    const stored = async (orderId: string) =>
      (await db.send(new GetCommand({ TableName: stack.table('orders'), Key: { username: shopper.username, sk: `ORDER#${orderId}` }, ConsistentRead: true }))).Item;
    const payment = async (orderId: string) => (await bankPayment(orderId)).body;

    // Act: two crashes, one order with an Idempotency-Key, one without.
    const key = uniqueName('crash');
    const keyed = await orderThatCrashes({ 'idempotency-key': key }, ORIGINAL_CART);
    const plainCart = { items: [{ article: 'Laine', quantity: 2 }] };
    const plain = await orderThatCrashes({}, plainCart);
    await stack.restartApi();

    // Assess the wreckage: both charged by the bank, both still PENDING.
    expect((await stored(keyed))?.status).toBe('PENDING');
    expect((await stored(plain))?.status).toBe('PENDING');
    const keyedPayment = await payment(keyed);
    const plainPayment = await payment(plain);
    expect([keyedPayment.calls, plainPayment.calls]).toEqual([1, 1]);

    // Act: the client retries with its key (409 while the dead request's in-progress record lasts).
    const retried = await retryUntil(
      () => placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key }),
      (r) => r.status !== 409,
      { attempts: 60, delayMs: 500 },
    );

    // Assess: the same order, settled from the bank's record, not charged again.
    expect(retried.status).toBe(keyedPayment.status === 'approved' ? 201 : 402);
    expect(retried.body.order_id).toBe(keyed);
    expect((await stored(keyed))?.status).toBe(keyedPayment.status === 'approved' ? 'PAID' : 'DECLINED');

    // Act: the order without a key is the reconciler's, once it is old enough to be sure no call is on its way.
    const createdAt = Date.parse(String((await stored(plain))?.createdAt));
    await waitFor(() => Date.now() - createdAt > RECONCILE_AFTER_MS + 1000, { timeoutMs: 2 * RECONCILE_AFTER_MS, intervalMs: 500 });
    await stack.invoke('ordersReconciler');
    const settled = await stored(plain);
    await stack.invoke('ordersReconciler');

    // Assess: settled from the bank's record; a second run changes nothing; one payment each, one call each.
    expect(settled?.status).toBe(plainPayment.status === 'approved' ? 'PAID' : 'DECLINED');
    expect(await stored(plain)).toEqual(settled);
    expect(stack.proxy.payCalls.filter((id) => id === keyed || id === plain).sort()).toEqual([keyed, plain].sort());
    expect([(await payment(keyed)).calls, (await payment(plain)).calls]).toEqual([1, 1]);
    const orders = (await listOrders(shopper)).body.orders;
    expect(orders.map((order: { order_id: string; status: string }) => [order.order_id, order.status]).sort()).toEqual(
      [
        [keyed, keyedPayment.status === 'approved' ? 'PAID' : 'DECLINED'],
        [plain, plainPayment.status === 'approved' ? 'PAID' : 'DECLINED'],
      ].sort(),
    );
  }, 180_000);
});
