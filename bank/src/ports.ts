import type { Clock } from '../../lib/clock';
import type { BankFaults, Payment } from './model';
import type { RandomSource } from './random';

/**
 * What the bank's use cases receive. The handlers wire the real adapters once
 * (`dependencies.ts`); unit tests pass the in-memory twins (`in-memory.ts`).
 */
export interface BankDependencies {
  payments: PaymentsRepository;
  faults: FaultsRepository;
  random: RandomSource;
  /** A fresh draw in [0, 1) per call, never seeded: a flaky bank fails calls independently. */
  faultDraw(): number;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  /** What the bank does until someone changes its fault settings. */
  defaults: BankFaults;
}

export interface PaymentsRepository {
  find(orderId: string): Promise<Payment | undefined>;
  /**
   * Stores `payment` if its order has none yet. Otherwise leaves the stored payment as it
   * is, counts one more call, and resolves with it: a second charge is impossible.
   */
  recordOnce(payment: Omit<Payment, 'calls'>): Promise<{ payment: Payment; created: boolean }>;
}

export interface FaultsRepository {
  /** Undefined until someone has changed the defaults. */
  find(): Promise<BankFaults | undefined>;
  save(faults: BankFaults, updatedAt: string): Promise<void>;
}
