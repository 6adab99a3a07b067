import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bankPayment, getOrder, NORMAL_FAULTS, newShopper, PENDING, placeOrder, type Shopper, setFaults } from '../e2e/shop';
import { bank } from '../support/env';
import { type FaultStack, startFaultStack } from '../support/fault-stack';

/**
 * The shop's payment request lost on its way to the bank (the proxy cuts the connection before
 * the bank sees it): the shop cannot know whether it was charged, so the order is PENDING and the
 * customer is told so (503 PAYMENT_PENDING). While the bank has no payment, reading the order
 * charges nothing; and a payment someone else then makes under its id — 1 cent — never makes it
 * PAID: the read settles it FAILED AMOUNT_MISMATCH, the reconciler leaves it so.
 */
let stack: FaultStack;
let shopper: Shopper;

beforeAll(async () => {
  stack = await startFaultStack();
  stack.use();
  await setFaults({ ...NORMAL_FAULTS, success_rate: 1 });
  shopper = await newShopper('dropped');
}, 120_000);
afterAll(() => stack?.stop(), 60_000);

describe('a payment request that never reaches the bank', () => {
  it('leaves the order PENDING and uncharged; a stranger’s 1 cent under its id makes it FAILED AMOUNT_MISMATCH, never PAID', async () => {
    // Act: the shop's pay is dropped on the way.
    stack.proxy.payMode = 'drop';
    const lost = await placeOrder(shopper);
    stack.proxy.payMode = 'forward';

    // Assess: PENDING, and the bank never saw it; a read asks the bank and charges nothing.
    expect(lost).toMatchObject({ status: 503, body: { ...PENDING, order_status: 'PENDING' } });
    const orderId: string = lost.body.order_id;
    expect(stack.proxy.dropped).toEqual([orderId]);
    expect((await bankPayment(orderId)).status).toBe(404);
    expect((await getOrder(shopper, orderId)).body).toMatchObject({ order_id: orderId, status: 'PENDING' });
    expect((await bankPayment(orderId)).status).toBe(404);
    expect(stack.proxy.payCalls.filter((id) => id === orderId)).toHaveLength(1);

    // Act: someone holding the merchant key pays 1 cent under the order's id; the customer reads the order.
    expect(await bank('POST', '/pay', { order_id: orderId, amount: 1, currency: 'EUR' })).toMatchObject({ status: 200, body: { status: 'approved', amount: 1 } });
    const read = await getOrder(shopper, orderId);
    await stack.invoke('ordersReconciler');

    // Assess
    expect(read).toMatchObject({ status: 200, body: { status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH', total_cents: 500 } });
    expect((await getOrder(shopper, orderId)).body).toEqual(read.body);
    expect((await bankPayment(orderId)).body).toMatchObject({ amount: 1, calls: 1 });
    expect(stack.proxy.payCalls.filter((id) => id === orderId)).toHaveLength(1);
  });
});
