import { describe, expect, it } from '@jest/globals';
import { BankUnavailableError } from './bank-client';
import { OrderError } from './errors';
import { getOrder } from './get-order';
import { inMemoryOrdersDependencies, sampleOrder } from './in-memory';

const NOW = Date.UTC(2026, 5, 1, 12);

const setup = () => inMemoryOrdersDependencies(NOW);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof OrderError ? error.code : `unexpected: ${String(error)}`;
}

describe('getOrder', () => {
  it('returns the caller’s own order and 404 for anyone else’s, or an unknown id', async () => {
    const { deps, orders } = setup();
    const order = sampleOrder('alice', NOW - 1000, { status: 'PAID' });
    await orders.create(order);
    expect(await getOrder(deps, 'alice', order.orderId)).toMatchObject({ orderId: order.orderId, status: 'PAID' });
    expect(await codeOf(getOrder(deps, 'bob', order.orderId))).toBe('ORDER_NOT_FOUND');
    expect(await codeOf(getOrder(deps, 'alice', 'nope'))).toBe('ORDER_NOT_FOUND');
  });

  it('settles a PENDING order on read from the bank’s matching payment, without charging', async () => {
    const { deps, orders, bank } = setup();
    const order = sampleOrder('alice', NOW - 2000);
    await orders.create(order);
    bank.payments.set(order.orderId, { orderId: order.orderId, status: 'APPROVED', amountCents: order.totalCents, currency: 'EUR' });
    expect(await getOrder(deps, 'alice', order.orderId)).toMatchObject({ status: 'PAID' });
    expect(bank.calls).toEqual([{ op: 'findPayment', orderId: order.orderId }]);
  });

  it('never reads a PENDING order as PAID on a payment that does not match it (1 cent)', async () => {
    const { deps, orders, bank } = setup();
    const order = sampleOrder('alice', NOW - 2000);
    await orders.create(order);
    bank.payments.set(order.orderId, { orderId: order.orderId, status: 'APPROVED', amountCents: 1, currency: 'EUR' });
    expect(await getOrder(deps, 'alice', order.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
  });

  it('leaves a young PENDING order the bank has not seen as it is, and fails one too old to be charged', async () => {
    const { deps, orders, bank } = setup();
    const young = sampleOrder('alice', NOW - 5000);
    const old = sampleOrder('alice', NOW - 61_000);
    await orders.create(young);
    await orders.create(old);
    expect(await getOrder(deps, 'alice', young.orderId)).toMatchObject({ status: 'PENDING' });
    expect(await getOrder(deps, 'alice', old.orderId)).toMatchObject({ status: 'FAILED', failureReason: 'NOT_RECEIVED_BY_BANK' });
    expect(bank.calls.every((call) => call.op === 'findPayment')).toBe(true);
  });

  it('shows a PENDING order as it is when the bank cannot be asked, or the breaker is open', async () => {
    const { deps, orders, bank } = setup();
    const order = sampleOrder('alice', NOW - 2000);
    await orders.create(order);
    bank.fail(new BankUnavailableError('TIMEOUT', 'unknown', 1000));
    expect(await getOrder(deps, 'alice', order.orderId)).toMatchObject({ status: 'PENDING' });
    bank.setBreakerWait(1000);
    expect(await getOrder(deps, 'alice', order.orderId)).toMatchObject({ status: 'PENDING' });
    expect(bank.calls).toHaveLength(1);
  });
});
