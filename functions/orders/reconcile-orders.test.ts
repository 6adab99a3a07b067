import { describe, expect, it } from '@jest/globals';
import { BankUnavailableError } from './bank-client';
import { priceCart } from './catalogue';
import { inMemoryOrdersDependencies, sampleOrder } from './in-memory';
import type { Order } from './model';
import { reconcilePendingOrders } from './reconcile-orders';

const NOW = Date.UTC(2026, 5, 1, 12);
const cart = priceCart([{ article: 'Cookies', quantity: 1 }]);

const pendingOrder = (ageMs: number, username = 'alice'): Order => sampleOrder(username, NOW - ageMs, { cart });

const setup = () => inMemoryOrdersDependencies(NOW);

describe('reconcilePendingOrders', () => {
  it('settles stale PENDING orders from the bank: paid, declined, or FAILED when the bank never saw them', async () => {
    // Prepare
    const { deps, orders, bank } = setup();
    const paid = pendingOrder(120_000);
    const declined = pendingOrder(90_000);
    const lost = pendingOrder(70_000);
    for (const order of [paid, declined, lost]) await orders.create(order);
    bank.payments.set(paid.orderId, { orderId: paid.orderId, status: 'APPROVED', amountCents: 200, currency: 'EUR' });
    bank.payments.set(declined.orderId, { orderId: declined.orderId, status: 'DECLINED', amountCents: 200, currency: 'EUR' });

    // Act
    const report = await reconcilePendingOrders(deps, { batchSize: 10 });

    // Assess
    expect(report).toEqual({ checked: 3, paid: 1, declined: 1, failed: 1, left: 0 });
    expect((await orders.find('alice', paid.orderId))?.status).toBe('PAID');
    expect((await orders.find('alice', declined.orderId))?.status).toBe('DECLINED');
    expect(await orders.find('alice', lost.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'NOT_RECEIVED_BY_BANK' });
    expect(bank.calls.every((call) => call.op === 'findPayment')).toBe(true);
  });

  it.each([
    { what: 'a 1-cent payment', amountCents: 1, currency: 'EUR' },
    { what: 'another currency', amountCents: 200, currency: 'USD' },
  ])('never marks an order PAID for a payment that does not match it ($what): FAILED, AMOUNT_MISMATCH', async ({ amountCents, currency }) => {
    // Prepare: someone else recorded a payment under this order id first.
    const { deps, orders, bank } = setup();
    const order = pendingOrder(120_000);
    await orders.create(order);
    bank.payments.set(order.orderId, { orderId: order.orderId, status: 'APPROVED', amountCents, currency });
    // Act
    const report = await reconcilePendingOrders(deps, { batchSize: 10 });
    // Assess
    expect(report).toMatchObject({ paid: 0, failed: 1 });
    expect(await orders.find('alice', order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect(bank.calls.every((call) => call.op === 'findPayment')).toBe(true);
  });

  it('leaves young PENDING orders to their own request', async () => {
    const { deps, orders, bank } = setup();
    const young = pendingOrder(30_000);
    await orders.create(young);
    const report = await reconcilePendingOrders(deps, { batchSize: 10 });
    expect(report.checked).toBe(0);
    expect(bank.calls).toEqual([]);
    expect((await orders.find('alice', young.orderId))?.status).toBe('PENDING');
  });

  it('leaves orders PENDING when the bank cannot be asked, and stops while the breaker is open', async () => {
    const { deps, orders, bank } = setup();
    for (const age of [100_000, 90_000]) await orders.create(pendingOrder(age));
    bank.fail(new BankUnavailableError('TIMEOUT', 'unknown', 1000));
    expect(await reconcilePendingOrders(deps, { batchSize: 10 })).toMatchObject({ checked: 2, left: 2 });

    bank.setBreakerWait(5000);
    const report = await reconcilePendingOrders(deps, { batchSize: 10 });
    expect(report).toMatchObject({ checked: 0, left: 2 });
    expect([...orders.items.values()].every((order) => order.status === 'PENDING')).toBe(true);
  });
});
