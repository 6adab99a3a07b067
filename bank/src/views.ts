import type { BankFaults, Payment } from './model';

export const paymentView = (payment: Payment) => ({
  order_id: payment.orderId,
  amount: payment.amountCents,
  currency: payment.currency,
  status: payment.status === 'APPROVED' ? 'approved' : 'declined',
  created_at: payment.createdAt,
  calls: payment.calls,
});

export const faultsView = (faults: BankFaults) => ({
  success_rate: faults.successRate,
  latency_ms: faults.latencyMs,
  down: faults.down,
  error_rate: faults.errorRate,
});
