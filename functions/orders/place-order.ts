import { createHash } from 'node:crypto';
import { BankUnavailableError } from './bank-client';
import { CURRENCY, cartFingerprint, type PricedCart } from './catalogue';
import { MESSAGES, OrderError, serviceUnavailable } from './errors';
import { type BankPayment, type FailureReason, isOlderThan, type KeyClaim, type NewClaim, type Order, type OrderOutcome } from './model';
import type { BankClient, OrdersDependencies, OrdersPolicy } from './ports';
import { settleFromPayment, settleOrder } from './settle-order';

export interface PlaceOrderInput {
  /** From the token authorizer, never from the body. */
  username: string;
  cart: PricedCart;
  idempotencyKey?: string | undefined;
}

/**
 * The order flow: the order is written PENDING before the bank is called, the bank is
 * called with the order id as its idempotency key, and the order moves from PENDING to
 * PAID / DECLINED / FAILED. When the bank's answer is lost (timeout, crash), the order
 * stays PENDING and is settled later by asking the bank: by a retry with the same
 * Idempotency-Key, or by the reconciler.
 */
export async function placeOrder(deps: OrdersDependencies, input: PlaceOrderInput): Promise<OrderOutcome> {
  const now = deps.clock.now();
  const order: Order = {
    orderId: deps.newOrderId(now),
    username: input.username,
    status: 'PENDING',
    lines: input.cart.lines,
    totalCents: input.cart.totalCents,
    currency: CURRENCY,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  if (input.idempotencyKey === undefined) return placeWithoutKey(deps, order);
  return placeWithKey(deps, order, { cart: input.cart, key: input.idempotencyKey, now });
}

async function placeWithoutKey(deps: OrdersDependencies, order: Order): Promise<OrderOutcome> {
  refuseUnlessBankCallable(deps.bank);
  await deps.orders.create(order);
  return outcomeOf(await charge(deps, order));
}

/**
 * The key is bound to its order by a claim item written in the same transaction as the order:
 * that one item is the idempotency record (no separate store, no write more).
 */
async function placeWithKey(deps: OrdersDependencies, order: Order, request: { cart: PricedCart; key: string; now: number }): Promise<OrderOutcome> {
  const nowSeconds = Math.floor(request.now / 1000);
  const claim: NewClaim = {
    keyHash: hashKey(request.key),
    orderId: order.orderId,
    fingerprint: cartFingerprint(request.cart),
    expiresAt: nowSeconds + deps.policy.idempotencyTtlSeconds,
  };
  // The usual case, a new key, costs one transaction: the binding fails only if the key is already bound.
  if (mayCallBank(deps.bank) && (await deps.orders.create(order, claim, nowSeconds))) return outcomeOf(await charge(deps, order));

  // A retry (the key is bound to an earlier attempt's order), a concurrent duplicate, or the bank may not be called.
  const bound = await deps.orders.findClaim(order.username, claim.keyHash, nowSeconds);
  if (bound) {
    const replayed = await replay(deps, order.username, bound, claim.fingerprint, request.now);
    if (replayed) return replayed;
  }
  // Nothing settled under this key (or its order FAILED uncharged): a fresh attempt under the same key.
  refuseUnlessBankCallable(deps.bank);
  // Another request with the same key bound it in between.
  if (!(await deps.orders.create(order, { ...claim, replaces: bound?.orderId }, nowSeconds))) throw inProgress();
  return outcomeOf(await charge(deps, order));
}

/** The outcome of the earlier attempt bound to the key; undefined when that attempt FAILED (uncharged). */
async function replay(deps: OrdersDependencies, username: string, bound: KeyClaim, fingerprint: string, now: number): Promise<OrderOutcome | undefined> {
  if (bound.fingerprint !== fingerprint) throw new OrderError('IDEMPOTENCY_KEY_REUSED', MESSAGES.idempotencyKeyReused);
  const previous = await deps.orders.find(username, bound.orderId);
  if (previous && isInFlight(previous, now, deps.policy)) throw inProgress();
  const settled = previous?.status === 'PENDING' ? await resumePending(deps, previous) : previous;
  if (settled && settled.status !== 'FAILED') return { ...outcomeOf(settled), replayed: true };
  return undefined;
}

/** The first request for this order may still be waiting for the bank: it has not answered yet, and is young. */
const isInFlight = (order: Order, now: number, policy: OrdersPolicy): boolean =>
  order.status === 'PENDING' && !order.answeredAt && !isOlderThan(order, policy.inProgressMs, now);

const mayCallBank = (bank: BankClient): boolean => bank.msUntilCallAllowed() === 0;

const inProgress = () => new OrderError('IDEMPOTENCY_IN_PROGRESS', MESSAGES.idempotencyInProgress, {}, { 'Retry-After': '1' });

/** When the bank may not be called (breaker open), the answer is at once, and nothing is written: there is nothing to settle later. */
function refuseUnlessBankCallable(bank: BankClient): void {
  const waitMs = bank.msUntilCallAllowed();
  if (waitMs > 0) throw serviceUnavailable('BREAKER_OPEN', Math.ceil(waitMs / 1000));
}

/**
 * Settles a PENDING order from the bank's record. If the bank never received the order,
 * it is charged now while it is young enough, and FAILED once it is too old to be charged.
 */
async function resumePending(deps: OrdersDependencies, order: Order): Promise<Order> {
  const payment = await askBank(order, () => deps.bank.findPayment(order.orderId));
  if (payment) return settleFromPayment(deps, order, payment);
  if (!isOlderThan(order, deps.policy.payWindowMs, deps.clock.now())) return charge(deps, order);
  return settleOrder(deps, order, 'FAILED', 'NOT_RECEIVED_BY_BANK');
}

/** Calls the bank for a PENDING order and settles it from the answer. */
async function charge(deps: OrdersDependencies, order: Order): Promise<Order> {
  let payment: BankPayment;
  try {
    payment = await deps.bank.pay({ orderId: order.orderId, amountCents: order.totalCents, currency: order.currency });
  } catch (error) {
    if (!(error instanceof BankUnavailableError)) throw error;
    // Certainly not charged → FAILED now.
    if (error.charged === 'no') throw unavailable(error, await settleOrder(deps, order, 'FAILED', failureReason(error)));
    // Perhaps charged → stays PENDING until the bank is asked, marked as answered so that a retry
    // or a read asks at once (a failure costs this write, a payment does not).
    await deps.orders.markAnswered(order, new Date(deps.clock.now()).toISOString()).catch(() => undefined);
    throw unavailable(error, order);
  }
  return settleFromPayment(deps, order, payment);
}

async function askBank<T>(order: Order, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    // The order stays PENDING: it may have been charged.
    throw error instanceof BankUnavailableError ? unavailable(error, order) : error;
  }
}

/** The 503 for an order the bank could not settle: its code follows the order's state. */
function unavailable(error: BankUnavailableError, order: Order): unknown {
  return outcomeError(order, Math.ceil(error.retryAfterMs / 1000));
}

function failureReason(error: BankUnavailableError): FailureReason {
  switch (error.reason) {
    case 'BREAKER_OPEN':
    case 'BANK_REJECTED':
    case 'CREDENTIAL_REFUSED':
    case 'AMOUNT_MISMATCH':
      return error.reason;
    default:
      return 'BANK_DOWN';
  }
}

/** PAID and DECLINED are answers; a FAILED or still PENDING order is a 503 whose code says which. */
function outcomeOf(order: Order): OrderOutcome {
  if (order.status === 'PAID') return { result: 'paid', order };
  if (order.status === 'DECLINED') return { result: 'declined', order };
  throw outcomeError(order, 1);
}

function outcomeError(order: Order, retryAfterSeconds: number): Error {
  if (order.status === 'PENDING') return serviceUnavailable('PAYMENT_PENDING', retryAfterSeconds, order);
  return serviceUnavailable(order.failureReason === 'BREAKER_OPEN' ? 'BREAKER_OPEN' : 'BANK_UNAVAILABLE', retryAfterSeconds, order);
}

/** Keys are stored hashed: a client may put anything printable in them. */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('base64url');
