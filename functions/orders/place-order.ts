import { createHash } from 'node:crypto';
import { logger } from '../../lib/logger';
import { BankUnavailableError, type BankClient, type BankPayment } from './bank-client';
import { CURRENCY, cartFingerprint, type PricedCart } from './catalogue';
import { MESSAGES, OrderError, serviceUnavailable } from './errors';
import type { FailureReason, FinalStatus, Order, OrdersRepository } from './orders-repository';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface OrdersPolicy {
  /** How long a user's Idempotency-Key stays bound to its order. */
  idempotencyTtlSeconds: number;
  /**
   * A retry that finds its key's order PENDING and younger than this is told the first
   * request is still running (409); an older one is settled by asking the bank.
   */
  inProgressMs: number;
  /** The orders service asks the bank to charge an order only while it is younger than this. */
  payWindowMs: number;
  /** The reconciler settles PENDING orders older than this (longer than the pay window plus a call). */
  reconcileAfterMs: number;
}

export interface OrdersDependencies {
  orders: OrdersRepository;
  bank: BankClient;
  clock: Clock;
  newOrderId(nowMs: number): string;
  policy: OrdersPolicy;
}

export interface PlaceOrderInput {
  /** From the token authorizer, never from the body. */
  username: string;
  cart: PricedCart;
  idempotencyKey?: string | undefined;
}

/** The answers worth remembering for an Idempotency-Key. A 503 is not one: a retry tries again. */
export interface OrderOutcome {
  result: 'paid' | 'declined';
  order: Order;
  /** Set when the outcome comes from an earlier request with the same key. */
  replayed?: boolean;
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
  if (input.idempotencyKey === undefined) {
    ensureBreakerClosed(deps);
    await deps.orders.create(order);
    return outcomeOf(await charge(deps, order));
  }

  // The key is bound to its order by a claim item written in the same transaction as the
  // order: that one item is the idempotency record (no separate store, no write more).
  const fingerprint = cartFingerprint(input.cart);
  const keyHash = hashKey(input.idempotencyKey);
  const nowSeconds = Math.floor(now / 1000);
  const claim = { keyHash, orderId: order.orderId, fingerprint, expiresAt: nowSeconds + deps.policy.idempotencyTtlSeconds };
  // The usual case, a new key, costs one transaction: the binding fails only if the key is already bound.
  if (deps.bank.breaker.msUntilTrial() === 0 && (await deps.orders.create(order, claim, nowSeconds))) return outcomeOf(await charge(deps, order));

  // A retry (the key is bound to an earlier attempt's order), a concurrent duplicate, or the breaker is open.
  const bound = await deps.orders.findClaim(input.username, keyHash, nowSeconds);
  if (bound) {
    if (bound.fingerprint !== fingerprint) throw new OrderError('IDEMPOTENCY_KEY_REUSED', MESSAGES.idempotencyKeyReused);
    const previous = await deps.orders.find(input.username, bound.orderId);
    if (previous?.status === 'PENDING' && !previous.answeredAt && now - Date.parse(previous.createdAt) < deps.policy.inProgressMs) throw inProgress();
    const settled = previous?.status === 'PENDING' ? await resumePending(deps, previous) : previous;
    if (settled && settled.status !== 'FAILED') return { ...outcomeOf(settled), replayed: true };
  }
  // Nothing settled under this key (or its order FAILED uncharged): a fresh attempt under the same key.
  ensureBreakerClosed(deps);
  // Another request with the same key bound it in between.
  if (!(await deps.orders.create(order, { ...claim, replaces: bound?.orderId }, nowSeconds))) throw inProgress();
  return outcomeOf(await charge(deps, order));
}

const inProgress = () => new OrderError('IDEMPOTENCY_IN_PROGRESS', MESSAGES.idempotencyInProgress, {}, { 'Retry-After': '1' });

/** An open breaker answers at once, and nothing is written: there is nothing to settle later. */
function ensureBreakerClosed(deps: OrdersDependencies): void {
  const waitMs = deps.bank.breaker.msUntilTrial();
  if (waitMs > 0) throw serviceUnavailable('BREAKER_OPEN', Math.ceil(waitMs / 1000));
}

/**
 * Settles a PENDING order from the bank's record. If the bank never received the order,
 * it is charged now while it is young enough, and FAILED once it is too old to be charged.
 */
async function resumePending(deps: OrdersDependencies, order: Order): Promise<Order> {
  const payment = await askBank(order, () => deps.bank.findPayment(order.orderId));
  if (payment) return settleFromPayment(deps, order, payment);
  if (deps.clock.now() - Date.parse(order.createdAt) < deps.policy.payWindowMs) return charge(deps, order);
  return settle(deps, order, 'FAILED', 'NOT_RECEIVED_BY_BANK');
}

/** Calls the bank for a PENDING order and settles it from the answer. */
async function charge(deps: OrdersDependencies, order: Order): Promise<Order> {
  let payment: BankPayment;
  try {
    payment = await deps.bank.pay({ orderId: order.orderId, amountCents: order.totalCents, currency: order.currency });
  } catch (error) {
    if (!(error instanceof BankUnavailableError)) throw error;
    // Certainly not charged → FAILED now.
    if (error.charged === 'no') throw unavailable(error, await settle(deps, order, 'FAILED', failureReason(error)));
    // Perhaps charged → stays PENDING until the bank is asked, marked as answered so that a retry
    // or a read asks at once (a failure costs this write, a payment does not).
    await deps.orders.markAnswered(order, new Date(deps.clock.now()).toISOString()).catch(() => undefined);
    throw unavailable(error, order);
  }
  return settleFromPayment(deps, order, payment);
}

/**
 * An order is PAID only when the bank's payment is for this order, of its amount, in its
 * currency. Anything else (a payment someone else recorded first under this order id) leaves it
 * unpaid: FAILED with `AMOUNT_MISMATCH`, never PAID, and never charged a second time.
 */
export async function settleFromPayment(deps: Pick<OrdersDependencies, 'orders' | 'clock'>, order: Order, payment: BankPayment): Promise<Order> {
  const { status, reason } = verdictOf(order, payment);
  return settle(deps, order, status, reason);
}

/** What the bank's payment makes of the order (logged when it does not match). */
export function verdictOf(order: Order, payment: BankPayment): { status: FinalStatus; reason?: FailureReason } {
  const matches = payment.orderId === order.orderId && payment.amountCents === order.totalCents && payment.currency === order.currency;
  if (matches) return { status: payment.status === 'APPROVED' ? 'PAID' : 'DECLINED' };
  logger.error('bank payment does not match its order', {
    orderId: order.orderId,
    order: { amountCents: order.totalCents, currency: order.currency },
    payment: { orderId: payment.orderId, amountCents: payment.amountCents, currency: payment.currency, status: payment.status },
  });
  return { status: 'FAILED', reason: 'AMOUNT_MISMATCH' };
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

export async function settle(
  deps: Pick<OrdersDependencies, 'orders' | 'clock'>,
  order: Order,
  status: FinalStatus,
  reason?: FailureReason,
): Promise<Order> {
  const { order: stored } = await deps.orders.settle(order, status, new Date(deps.clock.now()).toISOString(), reason);
  return stored;
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
