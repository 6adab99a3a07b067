import { BankUnavailableError } from './bank-client';
import { type PricedCart, priceCart } from './catalogue';
import type { BankPayment, KeyClaim, Order, PaymentStatus } from './model';
import { newOrderId } from './order-id';
import type { BankClient, OrdersPolicy, OrdersRepository } from './ports';

/** An in-memory twin of the DynamoDB orders repository, honouring the same contract, for unit tests. */
export function inMemoryOrders(): OrdersRepository & { items: Map<string, Order>; claims: Map<string, KeyClaim & { expiresAt: number }> } {
  const items = new Map<string, Order>();
  const claims = new Map<string, KeyClaim & { expiresAt: number }>();
  const orderKey = (username: string, orderId: string) => `${username}#${orderId}`;
  const copy = (order: Order): Order => structuredClone(order);

  return {
    items,
    claims,
    async create(order, claim, nowSeconds = Math.floor(Date.now() / 1000)) {
      if (items.has(orderKey(order.username, order.orderId))) throw new Error('order exists');
      if (claim) {
        const key = `${order.username}#${claim.keyHash}`;
        const bound = claims.get(key);
        const live = bound !== undefined && bound.expiresAt >= nowSeconds;
        if (claim.replaces ? bound?.orderId !== claim.replaces : live) return false;
        claims.set(key, { keyHash: claim.keyHash, orderId: order.orderId, fingerprint: claim.fingerprint, expiresAt: claim.expiresAt });
      }
      items.set(orderKey(order.username, order.orderId), copy(order));
      return true;
    },
    async find(username, orderId) {
      const order = items.get(orderKey(username, orderId));
      return order && copy(order);
    },
    async findClaim(username, keyHash, nowSeconds) {
      const claim = claims.get(`${username}#${keyHash}`);
      if (!claim || claim.expiresAt < nowSeconds) return undefined;
      return { keyHash: claim.keyHash, orderId: claim.orderId, fingerprint: claim.fingerprint };
    },
    async settle(order, status, at, reason) {
      const stored = items.get(orderKey(order.username, order.orderId));
      if (!stored) throw new Error(`order ${order.orderId} does not exist`);
      if (stored.status !== 'PENDING') return { order: copy(stored), changed: false };
      const next: Order = { ...stored, status, updatedAt: at, ...(reason ? { failureReason: reason } : {}) };
      items.set(orderKey(order.username, order.orderId), next);
      return { order: copy(next), changed: true };
    },
    async markAnswered(order, at) {
      const stored = items.get(orderKey(order.username, order.orderId));
      if (stored?.status === 'PENDING') stored.answeredAt = at;
    },
    async list(username, { limit, afterOrderId }) {
      const mine = [...items.values()]
        .filter((order) => order.username === username && (afterOrderId === undefined || order.orderId < afterOrderId))
        .sort((a, b) => (a.orderId < b.orderId ? 1 : -1));
      const orders = mine.slice(0, limit).map(copy);
      return { orders, lastOrderId: mine.length > limit ? orders.at(-1)?.orderId : undefined };
    },
    async listPending(beforeOrderId, limit) {
      return [...items.values()]
        .filter((order) => order.status === 'PENDING' && order.orderId < beforeOrderId)
        .sort((a, b) => (a.orderId < b.orderId ? -1 : 1))
        .slice(0, limit)
        .map(copy);
    },
  };
}

type FakeBankBehaviour = { kind: 'answer'; status: PaymentStatus } | { kind: 'unavailable'; error: BankUnavailableError };

/**
 * A bank client whose answers a test scripts. It records every call, keeps one payment per
 * order like the real bank, and can lose its answer after recording (as a timeout does).
 */
export function fakeBank(options: { breakerWaitMs?: number } = {}) {
  const payments = new Map<string, BankPayment>();
  const calls: Array<{ op: 'pay' | 'findPayment'; orderId: string }> = [];
  let next: FakeBankBehaviour = { kind: 'answer', status: 'APPROVED' };
  let loseAnswer = false;
  let onPay: ((orderId: string) => Promise<void> | void) | undefined;

  const client: BankClient = {
    async pay({ orderId, amountCents, currency }) {
      calls.push({ op: 'pay', orderId });
      await onPay?.(orderId);
      if (next.kind === 'unavailable') throw next.error;
      const payment = payments.get(orderId) ?? { orderId, status: next.status, amountCents, currency };
      // Like the real bank: an order id presented again with another amount or currency is refused (409).
      if (payment.amountCents !== amountCents || payment.currency !== currency) throw new BankUnavailableError('AMOUNT_MISMATCH', 'no', 1000);
      payments.set(orderId, payment);
      if (loseAnswer) throw new BankUnavailableError('TIMEOUT', 'unknown', 1000);
      return { ...payment };
    },
    async findPayment(orderId) {
      calls.push({ op: 'findPayment', orderId });
      if (next.kind === 'unavailable') throw next.error;
      return payments.get(orderId);
    },
    async faults() {
      return { success_rate: 0.5, latency_ms: 0, down: false, error_rate: 0 };
    },
    msUntilCallAllowed: () => options.breakerWaitMs ?? 0,
    breakerState: () => ((options.breakerWaitMs ?? 0) > 0 ? 'open' : 'closed'),
    credential: () => 'unknown',
  };

  return {
    client,
    payments,
    calls,
    answer: (status: PaymentStatus) => {
      next = { kind: 'answer', status };
    },
    fail: (error: BankUnavailableError) => {
      next = { kind: 'unavailable', error };
    },
    /** The bank records the payment, then its answer is lost on the way back. */
    loseAnswers: (lose = true) => {
      loseAnswer = lose;
    },
    whilePaying: (hook: (orderId: string) => Promise<void> | void) => {
      onPay = hook;
    },
    setBreakerWait: (ms: number) => {
      options.breakerWaitMs = ms;
    },
  };
}

/** The policy the unit tests run with: a 3.5 s in-flight window, charges until 40 s, the reconciler after 60 s. */
export const TEST_POLICY: OrdersPolicy = { idempotencyTtlSeconds: 86_400, inProgressMs: 3_500, payWindowMs: 40_000, reconcileAfterMs: 60_000 };

/** In-memory orders, a scripted bank and a clock stopped at `nowMs`: what a use case needs, for tests. */
export function inMemoryOrdersDependencies(nowMs: number) {
  const orders = inMemoryOrders();
  const bank = fakeBank();
  const deps = { orders, bank: bank.client, clock: { now: () => nowMs }, policy: TEST_POLICY };
  return { deps, orders, bank };
}

/** An order as the flow writes it, created at `atMs`, for tests. */
export function sampleOrder(username: string, atMs: number, options: { status?: Order['status']; cart?: PricedCart } = {}): Order {
  const cart = options.cart ?? priceCart([{ article: 'Fraises', quantity: 2 }]);
  return {
    orderId: newOrderId(atMs),
    username,
    status: options.status ?? 'PENDING',
    lines: cart.lines,
    totalCents: cart.totalCents,
    currency: 'EUR',
    createdAt: new Date(atMs).toISOString(),
    updatedAt: new Date(atMs).toISOString(),
  };
}
