export type PaymentStatus = 'APPROVED' | 'DECLINED';

/** One payment per order id: the bank's idempotency key is the order id. */
export interface Payment {
  orderId: string;
  amountCents: number;
  /** ISO 4217, e.g. `EUR`. */
  currency: string;
  status: PaymentStatus;
  createdAt: string;
  /** How many times the order was presented to the bank (1 unless a caller retried). */
  calls: number;
}

/** The simulated bank's behaviour, shared by every instance through one table item. */
export interface BankFaults {
  /** Probability in [0, 1] that a new payment is approved. */
  successRate: number;
  /** Delay added before every answer from the bank. */
  latencyMs: number;
  /** When true the bank answers 503 and records nothing. */
  down: boolean;
  /**
   * Probability in [0, 1] that an answer is lost: the bank does its work (a payment is
   * recorded), then answers 500. A flaky bank, drawn afresh on every call.
   */
  errorRate: number;
}
