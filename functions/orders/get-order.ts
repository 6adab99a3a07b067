import { BankUnavailableError } from './bank-client';
import { MESSAGES, OrderError } from './errors';
import { type BankPayment, isOlderThan, type Order } from './model';
import type { OrdersDependencies } from './ports';
import { settleFromPayment, settleOrder } from './settle-order';

/**
 * The caller's own order (any other id is 404). A PENDING order is settled on read by asking
 * the bank, so a customer whose answer was lost sees the outcome at once rather than after the
 * reconciler's next run. A read never charges: if the bank has no payment, the order stays
 * PENDING until it is old enough for "no payment" to mean "never charged" (as in the reconciler).
 */
export async function getOrder(deps: Pick<OrdersDependencies, 'orders' | 'bank' | 'clock' | 'policy'>, username: string, orderId: string): Promise<Order> {
  const order = await deps.orders.find(username, orderId);
  if (!order) throw new OrderError('ORDER_NOT_FOUND', MESSAGES.orderNotFound);
  if (order.status !== 'PENDING' || deps.bank.msUntilCallAllowed() > 0) return order;
  let payment: BankPayment | undefined;
  try {
    payment = await deps.bank.findPayment(order.orderId);
  } catch (error) {
    // The bank cannot be asked now: the order is shown as it is, still being verified.
    if (error instanceof BankUnavailableError) return order;
    throw error;
  }
  if (payment) return settleFromPayment(deps, order, payment);
  if (isOlderThan(order, deps.policy.reconcileAfterMs, deps.clock.now())) return settleOrder(deps, order, 'FAILED', 'NOT_RECEIVED_BY_BANK');
  return order;
}
