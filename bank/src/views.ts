import { isAtDefaults } from './bank-service';
import type { BankFaults, Payment } from './model';

export const paymentView = (payment: Payment) => ({
  order_id: payment.orderId,
  amount: payment.amountCents,
  currency: payment.currency,
  status: payment.status === 'APPROVED' ? 'approved' : 'declined',
  created_at: payment.createdAt,
  calls: payment.calls,
});

const settingsView = (faults: BankFaults) => ({
  success_rate: faults.successRate,
  latency_ms: faults.latencyMs,
  down: faults.down,
  error_rate: faults.errorRate,
});

/** The settings, whether they are the defaults, and the defaults (so a client can say what differs). */
export const faultsView = (faults: BankFaults, defaults: BankFaults) => ({
  ...settingsView(faults),
  at_defaults: isAtDefaults(faults, defaults),
  defaults: settingsView(defaults),
});
