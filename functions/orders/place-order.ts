import { createHash } from 'node:crypto';
import { BankUnavailableError, type BankClient, type PaymentStatus } from './bank-client';
import { CURRENCY, cartFingerprint, type PricedCart } from './catalogue';
import { MESSAGES, OrderError, serviceUnavailable } from './errors';
import type { FailureReason, Order, OrdersRepository } from './orders-repository';

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
  if (payment) return settle(deps, order, payment.status === 'APPROVED' ? 'PAID' : 'DECLINED');
  if (deps.clock.now() - Date.parse(order.createdAt) < deps.policy.payWindowMs) return charge(deps, order);
  return settle(deps, order, 'FAILED', 'NOT_RECEIVED_BY_BANK');
}

/** Calls the bank for a PENDING order and settles it from the answer. */
async function charge(deps: OrdersDependencies, order: Order): Promise<Order> {
  let status: PaymentStatus;
  try {
    status = await deps.bank.pay(order.orderId, order.totalCents);
  } catch (error) {
    // Certainly not charged → FAILED now. Perhaps charged → stays PENDING until the bank is asked,
    // marked as answered so that a retry asks at once (a failure costs this write, a payment does not).
    if (error instanceof BankUnavailableError && error.charged === 'no') await settle(deps, order, 'FAILED', failureReason(error));
    else await deps.orders.markAnswered(order, new Date(deps.clock.now()).toISOString()).catch(() => undefined);
    throw asServiceUnavailable(error, order);
  }
  return settle(deps, order, status === 'APPROVED' ? 'PAID' : 'DECLINED');
}

async function askBank<T>(order: Order, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw asServiceUnavailable(error, order);
  }
}

function asServiceUnavailable(error: unknown, order: Order): unknown {
  if (!(error instanceof BankUnavailableError)) return error;
  return serviceUnavailable(error.reason === 'BREAKER_OPEN' ? 'BREAKER_OPEN' : 'BANK_UNAVAILABLE', Math.ceil(error.retryAfterMs / 1000), order.orderId);
}

async function settle(deps: OrdersDependencies, order: Order, status: 'PAID' | 'DECLINED' | 'FAILED', reason?: FailureReason): Promise<Order> {
  const { order: stored } = await deps.orders.settle(order, status, new Date(deps.clock.now()).toISOString(), reason);
  return stored;
}

function failureReason(error: BankUnavailableError): FailureReason {
  if (error.reason === 'BREAKER_OPEN') return 'BREAKER_OPEN';
  return error.reason === 'BANK_REJECTED' ? 'BANK_REJECTED' : 'BANK_DOWN';
}

/** PAID and DECLINED are answers; an order that another actor failed (or left pending) is a 503. */
function outcomeOf(order: Order): OrderOutcome {
  if (order.status === 'PAID') return { result: 'paid', order };
  if (order.status === 'DECLINED') return { result: 'declined', order };
  throw serviceUnavailable('BANK_UNAVAILABLE', 1, order.orderId);
}

/** Keys are stored hashed: a client may put anything printable in them. */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('base64url');
