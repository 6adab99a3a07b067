import type { OrderLine } from './catalogue';

export type OrderStatus = 'PENDING' | 'PAID' | 'DECLINED' | 'FAILED';
export type FinalStatus = Exclude<OrderStatus, 'PENDING'>;

/** Why a FAILED order failed: the bank said it is down, refused the request, or never saw the order. */
export type FailureReason = 'BANK_DOWN' | 'BANK_REJECTED' | 'CREDENTIAL_REFUSED' | 'BREAKER_OPEN' | 'NOT_RECEIVED_BY_BANK' | 'AMOUNT_MISMATCH';

export interface Order {
  /** Time-sortable (ULID). */
  orderId: string;
  username: string;
  status: OrderStatus;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
  failureReason?: FailureReason | undefined;
  /**
   * Set on a PENDING order when the request that placed it has answered without knowing
   * whether the bank charged (its answer was lost): a retry then settles it at once instead
   * of taking it for a request still in flight.
   */
  answeredAt?: string | undefined;
}

/** Binds one user's Idempotency-Key to the order it created, so a retry after a crash finds that order. */
export interface KeyClaim {
  keyHash: string;
  orderId: string;
  /** The cart the key was first used with (see `cartFingerprint`). */
  fingerprint: string;
}

export interface NewClaim extends KeyClaim {
  /** Set when a FAILED order's key is given to a fresh attempt: the claim must still point at it. */
  replaces?: string | undefined;
  /** Epoch seconds; the table's TTL removes the claim afterwards. */
  expiresAt: number;
}

export type PaymentStatus = 'APPROVED' | 'DECLINED';

/** The bank's record of a payment, as it answered: the shop checks it matches its order. */
export interface BankPayment {
  orderId: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
}

/** The answers worth remembering for an Idempotency-Key. A 503 is not one: a retry tries again. */
export interface OrderOutcome {
  result: 'paid' | 'declined';
  order: Order;
  /** Set when the outcome comes from an earlier request with the same key. */
  replayed?: boolean;
}

/** True once `ageMs` have passed since the order was created. */
export const isOlderThan = (order: Order, ageMs: number, nowMs: number): boolean => nowMs - Date.parse(order.createdAt) >= ageMs;
