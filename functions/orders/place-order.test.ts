import { describe, expect, it } from '@jest/globals';
import { BankUnavailableError } from './bank-client';
import { priceCart } from './catalogue';
import { OrderError } from './errors';
import { fakeBank, inMemoryOrders, TEST_POLICY } from './in-memory';
import { newOrderId } from './order-id';
import { hashKey, placeOrder } from './place-order';
import type { OrdersDependencies } from './ports';

const START = Date.UTC(2026, 5, 1, 12);
const cart = priceCart([{ article: 'Fraises', quantity: 2, total_price: 5 }]);

function setup() {
  let now = START;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const orders = inMemoryOrders();
  const bank = fakeBank();
  const deps: OrdersDependencies = {
    orders,
    bank: bank.client,
    clock,
    newOrderId: (ms) => newOrderId(ms),
    policy: TEST_POLICY,
  };
  return { deps, orders, bank, clock };
}

async function failure(promise: Promise<unknown>): Promise<OrderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OrderError)) throw new Error(`expected an OrderError, got ${String(error)}`);
  return error;
}

describe('placeOrder', () => {
  it('writes the order PENDING before calling the bank, then moves it to PAID', async () => {
    // Prepare
    const { deps, orders, bank } = setup();
    const seenByBank: string[] = [];
    bank.whilePaying((orderId) => {
      seenByBank.push([...orders.items.values()].find((order) => order.orderId === orderId)?.status ?? 'absent');
    });

    // Act
    const outcome = await placeOrder(deps, { username: 'alice', cart });

    // Assess
    expect(seenByBank).toEqual(['PENDING']);
    expect(outcome.result).toBe('paid');
    expect(outcome.order).toMatchObject({ username: 'alice', status: 'PAID', totalCents: 500, currency: 'EUR' });
    expect(bank.payments.get(outcome.order.orderId)).toEqual({ orderId: outcome.order.orderId, status: 'APPROVED', amountCents: 500, currency: 'EUR' });
  });

  it('records a decline as DECLINED: an answer, not an error', async () => {
    const { deps, bank } = setup();
    bank.answer('DECLINED');
    const outcome = await placeOrder(deps, { username: 'alice', cart });
    expect(outcome).toMatchObject({ result: 'declined', order: { status: 'DECLINED' } });
  });

  it('marks the order FAILED and answers 503 when the bank is down (it certainly did not charge)', async () => {
    const { deps, orders, bank } = setup();
    bank.fail(new BankUnavailableError('BANK_DOWN', 'no', 1000));
    const error = await failure(placeOrder(deps, { username: 'alice', cart }));
    expect(error).toMatchObject({ statusCode: 503, code: 'BANK_UNAVAILABLE', fields: { status: 'error_service' } });
    expect(error.message).toBe('Service indisponible, veuillez réessayer plus tard.');
    const [order] = orders.items.values();
    expect(order).toMatchObject({ status: 'FAILED', failureReason: 'BANK_DOWN' });
  });

  it('leaves the order PENDING when the answer was lost (the bank may have charged)', async () => {
    const { deps, orders, bank } = setup();
    bank.loseAnswers();
    const error = await failure(placeOrder(deps, { username: 'alice', cart }));
    // Its own code: the outcome is unknown, and ordering again could charge twice.
    expect(error).toMatchObject({ statusCode: 503, code: 'PAYMENT_PENDING', fields: { status: 'error_service', order_status: 'PENDING' } });
    expect(error.message).toBe('Paiement en cours de vérification : ne repassez pas commande.');
    const [order] = orders.items.values();
    expect(order?.status).toBe('PENDING');
    expect(error.fields.order_id).toBe(order?.orderId);
  });

  it('never marks an order PAID for a payment someone else recorded first under its id (1 cent): FAILED, AMOUNT_MISMATCH', async () => {
    // Prepare: the bank already holds a 1-cent payment under the id the order will get.
    const { deps, orders, bank } = setup();
    const orderId = newOrderId(START);
    deps.newOrderId = () => orderId;
    bank.payments.set(orderId, { orderId, status: 'APPROVED', amountCents: 1, currency: 'EUR' });
    // Act
    const error = await failure(placeOrder(deps, { username: 'alice', cart }));
    // Assess: the bank refused the second presentation (409); the order is not paid and not charged.
    expect(error).toMatchObject({ statusCode: 503, code: 'BANK_UNAVAILABLE', fields: { order_status: 'FAILED', failure_reason: 'AMOUNT_MISMATCH' } });
    expect(await orders.find('alice', orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect(bank.payments.get(orderId)?.amountCents).toBe(1);
  });

  it('marks the order FAILED when the bank refuses the merchant credential: not charged, bank unavailable', async () => {
    const { deps, orders, bank } = setup();
    bank.fail(new BankUnavailableError('CREDENTIAL_REFUSED', 'no', 1000));
    const error = await failure(placeOrder(deps, { username: 'alice', cart }));
    expect(error).toMatchObject({ statusCode: 503, code: 'BANK_UNAVAILABLE' });
    expect([...orders.items.values()][0]).toMatchObject({ status: 'FAILED', failureReason: 'CREDENTIAL_REFUSED' });
  });

  it('answers 503 at once and writes nothing while the breaker is open', async () => {
    const { deps, orders, bank } = setup();
    bank.setBreakerWait(4200);
    const error = await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    expect(error).toMatchObject({ statusCode: 503, code: 'BREAKER_OPEN', headers: { 'Retry-After': '5' } });
    expect(bank.calls).toEqual([]);
    expect(orders.items.size).toBe(0);
    expect(orders.claims.size).toBe(0);
  });
});

describe('placeOrder with an Idempotency-Key', () => {
  it('returns the settled order of the key again, marked replayed, without calling the bank', async () => {
    const { deps, bank } = setup();
    const first = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    const again = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(first.replayed).toBeUndefined();
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.order.orderId).toBe(first.order.orderId);
    expect(bank.calls.filter((call) => call.op === 'pay')).toHaveLength(1);
  });

  it('scopes keys per user', async () => {
    const { deps } = setup();
    const alice = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'same' });
    const bob = await placeOrder(deps, { username: 'bob', cart, idempotencyKey: 'same' });
    expect(bob.order.orderId).not.toBe(alice.order.orderId);
    expect(bob.order.username).toBe('bob');
  });

  it('refuses the same key with another cart (422), even when lines come in another order it accepts', async () => {
    const { deps } = setup();
    const two = priceCart([
      { article: 'Laine', quantity: 1 },
      { article: 'Cookies', quantity: 2 },
    ]);
    await placeOrder(deps, { username: 'alice', cart: two, idempotencyKey: 'k1' });
    const swapped = priceCart([
      { article: 'cookies', quantity: 2 },
      { article: 'laine', quantity: 1 },
    ]);
    await expect(placeOrder(deps, { username: 'alice', cart: swapped, idempotencyKey: 'k1' })).resolves.toBeDefined();
    const error = await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    expect(error).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('settles a PENDING order left by a crash from the bank’s record, without a second charge', async () => {
    // Prepare: the bank recorded the payment, then the answer was lost.
    const { deps, orders, bank, clock } = setup();
    bank.loseAnswers();
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    const [pending] = orders.items.values();
    bank.loseAnswers(false);
    clock.advance(5000);

    // Act
    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });

    // Assess
    expect(retried).toMatchObject({ result: 'paid', order: { orderId: pending?.orderId, status: 'PAID' } });
    expect(bank.calls.map((call) => call.op)).toEqual(['pay', 'findPayment']);
  });

  it('charges a young PENDING order the bank never received, under the same order id', async () => {
    const { deps, orders, bank, clock } = setup();
    bank.fail(new BankUnavailableError('TRANSPORT', 'unknown', 1000));
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    bank.answer('APPROVED');
    clock.advance(5000);
    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(orders.items.size).toBe(1);
    expect(bank.calls.map((call) => call.op)).toEqual(['pay', 'findPayment', 'pay']);
    expect(new Set(bank.calls.map((call) => call.orderId)).size).toBe(1);
    expect(retried.order.status).toBe('PAID');
  });

  it('fails a PENDING order too old to be charged, then tries afresh under the same key', async () => {
    const { deps, orders, bank, clock } = setup();
    bank.fail(new BankUnavailableError('TRANSPORT', 'unknown', 1000));
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    const [stale] = orders.items.values();
    bank.answer('APPROVED');
    clock.advance(45_000);
    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(retried.order.orderId).not.toBe(stale?.orderId);
    expect(await orders.find('alice', stale?.orderId ?? '')).toMatchObject({ status: 'FAILED', failureReason: 'NOT_RECEIVED_BY_BANK' });
    expect(orders.claims.get(`alice#${hashKey('k1')}`)?.orderId).toBe(retried.order.orderId);
  });

  it('gives a retry after a FAILED attempt a fresh order under the same key', async () => {
    const { deps, orders, bank } = setup();
    bank.fail(new BankUnavailableError('BANK_DOWN', 'no', 1000));
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    bank.answer('APPROVED');
    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(retried.result).toBe('paid');
    expect([...orders.items.values()].map((order) => order.status).sort()).toEqual(['FAILED', 'PAID']);
  });

  it('still answers a settled key while the breaker is open, and writes nothing for a new one', async () => {
    const { deps, orders, bank } = setup();
    const first = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    bank.setBreakerWait(3000);
    const again = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(again.order.orderId).toBe(first.order.orderId);
    const error = await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k2' }));
    expect(error.code).toBe('BREAKER_OPEN');
    expect(orders.items.size).toBe(1);
    expect(bank.calls.filter((call) => call.op === 'pay')).toHaveLength(1);
  });

  it('answers 503 and keeps the order PENDING when the bank cannot be asked about it', async () => {
    const { deps, orders, bank, clock } = setup();
    bank.loseAnswers();
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    clock.advance(5000);
    bank.fail(new BankUnavailableError('TIMEOUT', 'unknown', 1000));
    const error = await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    expect(error.code).toBe('PAYMENT_PENDING');
    expect([...orders.items.values()].map((order) => order.status)).toEqual(['PENDING']);
  });

  it('a retry never turns a PENDING order PAID on a payment someone else made under its id (1 cent), and charges once', async () => {
    // Prepare: the shop's call never reached the bank; the order is PENDING and its id is known.
    const { deps, orders, bank, clock } = setup();
    bank.fail(new BankUnavailableError('TRANSPORT', 'unknown', 1000));
    const first = await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    const orderId = String(first.fields.order_id);
    bank.payments.set(orderId, { orderId, status: 'APPROVED', amountCents: 1, currency: 'EUR' });
    bank.answer('APPROVED');
    clock.advance(5000);
    // Act
    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    // Assess: the first order FAILED (AMOUNT_MISMATCH); the retry is a fresh order, charged once at the right amount.
    expect(await orders.find('alice', orderId)).toMatchObject({ status: 'FAILED', failureReason: 'AMOUNT_MISMATCH' });
    expect(retried).toMatchObject({ result: 'paid', order: { status: 'PAID', totalCents: 500 } });
    expect(retried.order.orderId).not.toBe(orderId);
    expect(bank.payments.get(retried.order.orderId)).toMatchObject({ amountCents: 500, currency: 'EUR' });
    expect(bank.calls.filter((call) => call.op === 'pay').map((call) => call.orderId)).toEqual([orderId, retried.order.orderId]);
  });

  it('tells a duplicate that arrives while the first request runs to retry later (409), and asks the bank nothing', async () => {
    // Prepare: the second request comes in while the first waits for the bank.
    const { deps, orders, bank, clock } = setup();
    let duplicate: Promise<unknown> | undefined;
    bank.whilePaying(() => {
      clock.advance(3_499);
      duplicate = placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }).catch((error: unknown) => error);
      return duplicate.then(() => undefined);
    });

    // Act
    const first = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });

    // Assess
    expect(await duplicate).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_IN_PROGRESS', headers: { 'Retry-After': '1' } });
    expect(first.result).toBe('paid');
    expect(orders.items.size).toBe(1);
    expect(bank.calls.map((call) => call.op)).toEqual(['pay']);
  });

  it('forgets a key once its claim has expired: the same key then places a new order', async () => {
    const { deps, orders, clock } = setup();
    const first = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    clock.advance(86_400_000 + 1000);

    const later = await placeOrder(deps, { username: 'alice', cart: priceCart([{ article: 'Laine', quantity: 1 }]), idempotencyKey: 'k1' });

    expect(later.order.orderId).not.toBe(first.order.orderId);
    expect(later.replayed).toBeUndefined();
    expect(orders.items.size).toBe(2);
  });

  it('settles at once a retry that follows a lost answer: the first request has answered, nothing is in flight', async () => {
    const { deps, orders, bank } = setup();
    bank.loseAnswers();
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    const [pending] = orders.items.values();
    expect(pending).toMatchObject({ status: 'PENDING', answeredAt: new Date(START).toISOString() });
    bank.loseAnswers(false);

    const retried = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });

    expect(retried).toMatchObject({ result: 'paid', replayed: true, order: { orderId: pending?.orderId } });
    expect(bank.calls.map((call) => call.op)).toEqual(['pay', 'findPayment']);
  });

  it('takes a young PENDING order that never answered for a request in flight (409), and settles it once older', async () => {
    // Prepare: what a crash right after the bank's answer leaves: a charge, a PENDING order, no answeredAt.
    const { deps, orders, bank, clock } = setup();
    bank.loseAnswers();
    await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }));
    bank.loseAnswers(false);
    const [pending] = orders.items.values();
    delete pending!.answeredAt;

    // Act / Assess
    clock.advance(3_499);
    expect(await failure(placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' }))).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    clock.advance(1);
    const settled = await placeOrder(deps, { username: 'alice', cart, idempotencyKey: 'k1' });
    expect(settled).toMatchObject({ result: 'paid', order: { orderId: pending?.orderId, status: 'PAID' } });
    expect(orders.items.size).toBe(1);
    expect(bank.calls.map((call) => call.op)).toEqual(['pay', 'findPayment']);
  });
});
