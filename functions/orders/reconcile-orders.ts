import { BankUnavailableError } from './bank-client';
import type { BankPayment } from './model';
import { orderIdFloor } from './order-id';
import type { OrdersDependencies } from './ports';
import { verdictOf } from './settle-order';

export interface ReconcileReport {
  checked: number;
  paid: number;
  declined: number;
  failed: number;
  /** Left PENDING because the bank could not be asked; the next run tries again. */
  left: number;
}

/**
 * Settles PENDING orders that no request is going to settle any more (their request
 * crashed or lost the bank's answer). It only asks the bank — it never charges — and only
 * about orders older than `reconcileAfterMs`: by then no call of the orders service can
 * still be on its way to the bank (calls stop at `payWindowMs`, functions time out at
 * 10 s), so "the bank has no payment" means the order was never charged and is FAILED.
 */
export async function reconcilePendingOrders(
  deps: Pick<OrdersDependencies, 'orders' | 'bank' | 'clock' | 'policy'>,
  options: { batchSize: number },
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, paid: 0, declined: 0, failed: 0, left: 0 };
  const now = deps.clock.now();
  const stale = await deps.orders.listPending(orderIdFloor(now - deps.policy.reconcileAfterMs), options.batchSize);
  for (const [index, order] of stale.entries()) {
    if (deps.bank.msUntilCallAllowed() > 0) {
      // The bank is known to be down: leave the rest for the next run.
      report.left += stale.length - index;
      break;
    }
    report.checked++;
    let payment: BankPayment | undefined;
    try {
      payment = await deps.bank.findPayment(order.orderId);
    } catch (error) {
      if (!(error instanceof BankUnavailableError)) throw error;
      report.left++;
      continue;
    }
    // Settled the way a request settles: PAID only when the payment matches the order.
    const { status, reason } = payment ? verdictOf(order, payment) : { status: 'FAILED' as const, reason: 'NOT_RECEIVED_BY_BANK' as const };
    const at = new Date(deps.clock.now()).toISOString();
    const { order: stored, changed } = await deps.orders.settle(order, status, at, reason);
    if (!changed) continue;
    if (stored.status === 'PAID') report.paid++;
    else if (stored.status === 'DECLINED') report.declined++;
    else report.failed++;
  }
  return report;
}
