import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashKey } from '../../functions/orders/place-order';
import { NORMAL_FAULTS, newShopper, placeOrder, SAMPLE_CARTS, type Shopper, setFaults } from '../e2e/shop';
import { testDocumentClient } from '../support/env';
import { type FaultStack, startFaultStack } from '../support/fault-stack';
import { scanAll } from '../support/tables';
import { retryUntil, waitFor } from '../support/wait';

/**
 * The shop's API process (every shop function, in-process; the bank is a process of its own and
 * stays up) killed with SIGKILL while clients place orders, then started again: no order that got a 201/402 before the kill is lost or changed,
 * every request cut off by the kill settles on a retry with its key, and no order is presented
 * to the bank twice.
 */
const CLIENTS = 6;
const ANSWERED_BEFORE_KILL = 60;
let stack: FaultStack;
let shoppers: Shopper[];

beforeAll(async () => {
  stack = await startFaultStack();
  stack.use();
  await setFaults(NORMAL_FAULTS);
  shoppers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => newShopper(`kill${i}x`)));
}, 120_000);
afterAll(() => stack?.stop(), 60_000);

interface Placed {
  shopper: Shopper;
  key: string;
  cart: (typeof SAMPLE_CARTS)[number];
}

describe('SIGKILL under load', () => {
  it('loses no answered order, settles the interrupted ones on retry, and charges each order once', async () => {
    // Prepare
    const answered = new Map<string, Placed & { status: number; orderId: string }>();
    const interrupted: Placed[] = [];
    const otherStatuses: number[] = [];

    // Act: clients place orders one after another until the API dies under them.
    const clients = shoppers.map(async (shopper, client) => {
      for (let i = 0; i < 1000; i++) {
        const placed = { shopper, key: `load-${client}-${i}`, cart: SAMPLE_CARTS[(client + i) % SAMPLE_CARTS.length]! };
        try {
          const response = await placeOrder(shopper, placed.cart, { 'idempotency-key': placed.key });
          if (response.status === 201 || response.status === 402) answered.set(placed.key, { ...placed, status: response.status, orderId: response.body.order_id });
          else otherStatuses.push(response.status);
        } catch {
          interrupted.push(placed);
          return;
        }
      }
    });
    await waitFor(() => answered.size >= ANSWERED_BEFORE_KILL, { timeoutMs: 90_000 });
    await stack.killApi();
    await Promise.all(clients);
    const answeredBeforeKill = new Map(answered);
    await stack.restartApi();

    // Act: each cut-off request is sent again with its key until it has an answer.
    for (const placed of interrupted) {
      const response = await retryUntil(
        () => placeOrder(placed.shopper, placed.cart, { 'idempotency-key': placed.key }),
        (r) => r.status === 201 || r.status === 402,
        { attempts: 60, delayMs: 500 },
      );
      answered.set(placed.key, { ...placed, status: response.status, orderId: response.body.order_id });
    }
    process.stdout.write(`sigkill: ${answeredBeforeKill.size} answered before the kill, ${interrupted.length} cut off; other answers ${JSON.stringify(otherStatuses)}\n`);

    // Assess: every order answered before the kill is stored, with the status it was answered with.
    const db = testDocumentClient();
    const orders = (await scanAll(db, stack.table('orders'))).filter((item) => String(item.sk).startsWith('ORDER#'));
    const byId = new Map(orders.map((order) => [String(order.orderId), order]));
    const finalStatus = (status: number) => (status === 201 ? 'PAID' : 'DECLINED');
    for (const [key, placed] of answeredBeforeKill) {
      expect({ key, status: byId.get(placed.orderId)?.status }).toEqual({ key, status: finalStatus(placed.status) });
    }

    // Assess: each key has one order, settled like its answer; nothing else is stored; nothing is left PENDING.
    for (const [key, placed] of answered) {
      const claim = await db.send(new GetCommand({ TableName: stack.table('orders'), Key: { username: placed.shopper.username, sk: `KEY#${hashKey(key)}` } }));
      expect({ key, bound: claim.Item?.orderId, status: byId.get(placed.orderId)?.status }).toEqual({ key, bound: placed.orderId, status: finalStatus(placed.status) });
    }
    expect(orders).toHaveLength(answered.size);
    expect(orders.filter((order) => order.status === 'PENDING' || order.status === 'FAILED')).toEqual([]);
    expect(otherStatuses).toEqual([]);

    // Assess: one payment per order, presented to the bank once, matching the order.
    const payments = new Map((await scanAll(db, stack.bankTable('payments'))).map((payment) => [String(payment.orderId), payment]));
    for (const order of orders) {
      const payment = payments.get(String(order.orderId));
      expect({ order: order.orderId, calls: payment?.calls, amount: payment?.amountCents, currency: payment?.currency, status: payment?.status }).toEqual({
        order: order.orderId,
        calls: 1,
        amount: order.totalCents,
        currency: order.currency,
        status: order.status === 'PAID' ? 'APPROVED' : 'DECLINED',
      });
    }
  }, 240_000);
});
