import type { BankFaults, Payment } from './model';
import type { FaultsRepository, PaymentsRepository } from './ports';

/** In-memory twins of the bank's repositories, honouring the same contracts, for unit tests. */
export function inMemoryPayments(): PaymentsRepository & { items: Map<string, Payment> } {
  const items = new Map<string, Payment>();
  return {
    items,
    async find(orderId) {
      const payment = items.get(orderId);
      return payment && { ...payment };
    },
    async recordOnce(payment) {
      const existing = items.get(payment.orderId);
      if (existing) {
        existing.calls++;
        return { payment: { ...existing }, created: false };
      }
      items.set(payment.orderId, { ...payment, calls: 1 });
      return { payment: { ...payment, calls: 1 }, created: true };
    },
  };
}

export function inMemoryFaults(): FaultsRepository & { saved: BankFaults | undefined } {
  const repository = {
    saved: undefined as BankFaults | undefined,
    async find() {
      return repository.saved && { ...repository.saved };
    },
    async save(faults: BankFaults) {
      repository.saved = { ...faults };
    },
  };
  return repository;
}
