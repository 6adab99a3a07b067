import type { Clock } from '../../lib/clock';
import type { BankPayment, FailureReason, FinalStatus, KeyClaim, NewClaim, Order } from './model';

/**
 * What the orders use cases receive: the store, the bank, a clock, an id source and the
 * policy. The handler wires the real adapters once (`dependencies.ts`); unit tests pass the
 * in-memory twins (`in-memory.ts`).
 */
export interface OrdersDependencies {
  orders: OrdersRepository;
  bank: BankClient;
  clock: Clock;
  newOrderId(nowMs: number): string;
  policy: OrdersPolicy;
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

export interface OrdersPage {
  orders: Order[];
  /** The last order id of this page when more may follow. */
  lastOrderId?: string | undefined;
}

export interface OrdersRepository {
  /**
   * Writes `order` (PENDING) and, with `claim`, binds the key to it in the same transaction.
   * Resolves false, writing nothing, when the key is already bound to another order (a claim
   * that expired before `nowSeconds` no longer binds it).
   */
  create(order: Order, claim?: NewClaim, nowSeconds?: number): Promise<boolean>;
  find(username: string, orderId: string): Promise<Order | undefined>;
  /** The key's binding, unless it expired before `nowSeconds` (the table's TTL removes items late). */
  findClaim(username: string, keyHash: string, nowSeconds: number): Promise<KeyClaim | undefined>;
  /**
   * Moves a PENDING order to `status`. Only PENDING orders move: if the order had already
   * left PENDING, it is returned as stored and `changed` is false.
   */
  settle(order: Order, status: FinalStatus, at: string, reason?: FailureReason): Promise<{ order: Order; changed: boolean }>;
  /** Records `answeredAt` on an order still PENDING; does nothing once it has left PENDING. */
  markAnswered(order: Order, at: string): Promise<void>;
  /** The user's orders, newest first. */
  list(username: string, options: { limit: number; afterOrderId?: string | undefined }): Promise<OrdersPage>;
  /** PENDING orders, any user, oldest first, created before `beforeOrderId`. */
  listPending(beforeOrderId: string, limit: number): Promise<Order[]>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What the shop last heard about its merchant credential; `unknown` until a call tells. */
export type CredentialState = 'accepted' | 'refused' | 'unknown';

export interface BankFaultsView {
  success_rate: number;
  latency_ms: number;
  down: boolean;
  error_rate: number;
}

export interface PaymentRequest {
  orderId: string;
  amountCents: number;
  currency: string;
}

/** The bank as the orders service sees it. Calls that get no answer throw `BankUnavailableError`. */
export interface BankClient {
  /** Charges the order once (the order id is the bank's idempotency key); resolves with the bank's record. */
  pay(request: PaymentRequest): Promise<BankPayment>;
  /** The bank's record of the order's payment, if it ever received it. */
  findPayment(orderId: string): Promise<BankPayment | undefined>;
  /** 0 when a call may go to the bank now; otherwise how long until it may (the breaker is open). */
  msUntilCallAllowed(): number;
  /** For the health route: the breaker, the merchant credential, the bank's fault settings (undefined if unknown). */
  breakerState(): BreakerState;
  credential(): CredentialState;
  faults(): Promise<BankFaultsView | undefined>;
}
