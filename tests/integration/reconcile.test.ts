import { describe, expect, it } from '@jest/globals';
import { createBankClient, createBankPolicy } from '../../functions/orders/bank-client';
import { priceCart } from '../../functions/orders/catalogue';
import { sampleOrder } from '../../functions/orders/in-memory';
import type { Order } from '../../functions/orders/model';
import { createOrdersRepository } from '../../functions/orders/orders-repository';
import { reconcilePendingOrders } from '../../functions/orders/reconcile-orders';
import { bank as bankApi, testDynamo, testStack, uniqueName } from '../support/env';

const { bankUrl, env, table } = testStack();
const orders = createOrdersRepository(testDynamo(), table('orders'));
const bank = createBankClient({
  endpoint: async () => ({ baseUrl: bankUrl, merchantKey: env.MERCHANT_KEY! }),
  policy: createBankPolicy({ timeoutMs: 2000, failures: 3, halfOpenAfterMs: 1000 }),
});
const cart = priceCart([{ article: 'Pastèques', quantity: 3 }]);

const pendingOrder = (username: string, ageMs: number): Order => sampleOrder(username, Date.now() - ageMs, { cart });

describe('the reconciler against DynamoDB Local and the bank over HTTP', () => {
  it('settles orders a crash left PENDING from the bank’s records, and leaves young ones alone', async () => {
    // Prepare: a crash after the bank answered (payment recorded), one before the call, one in flight.
    const username = uniqueName('crash');
    const charged = pendingOrder(username, 5 * 60_000);
    const neverSent = pendingOrder(username, 4 * 60_000);
    const young = pendingOrder(username, 1000);
    for (const order of [charged, neverSent, young]) await orders.create(order);
    const paid = await bankApi('POST', '/pay', { order_id: charged.orderId, amount: charged.totalCents, currency: charged.currency });
    expect([200, 402]).toContain(paid.status);

    // Act
    const report = await reconcilePendingOrders(
      { orders, bank, clock: { now: () => Date.now() }, policy: { idempotencyTtlSeconds: 3600, inProgressMs: 3_500, payWindowMs: 40_000, reconcileAfterMs: 60_000 } },
      { batchSize: 1000 },
    );

    // Assess
    expect(report.left).toBe(0);
    expect((await orders.find(username, charged.orderId))?.status).toBe(paid.status === 200 ? 'PAID' : 'DECLINED');
    expect(await orders.find(username, neverSent.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'NOT_RECEIVED_BY_BANK' });
    expect((await orders.find(username, young.orderId))?.status).toBe('PENDING');
    const payment = await bankApi('GET', `/payments/${charged.orderId}`);
    expect(payment.body.calls).toBe(1);
    expect((await bankApi('GET', `/payments/${neverSent.orderId}`)).status).toBe(404);
  });
});
