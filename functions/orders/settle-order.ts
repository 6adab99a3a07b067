import { logger } from '../../lib/logger';
import type { BankPayment, FailureReason, FinalStatus, Order } from './model';
import type { OrdersDependencies } from './ports';

/**
 * How an order leaves PENDING, the same way for every path that settles one: a request
 * (place-order), a read (get-order) and the reconciler (reconcile-orders).
 */

/** Moves a PENDING order to its final status; an order already settled is returned as stored. */
export async function settleOrder(deps: Pick<OrdersDependencies, 'orders' | 'clock'>, order: Order, status: FinalStatus, reason?: FailureReason): Promise<Order> {
  const { order: stored } = await deps.orders.settle(order, status, new Date(deps.clock.now()).toISOString(), reason);
  return stored;
}

/**
 * An order is PAID only when the bank's payment is for this order, of its amount, in its
 * currency. Anything else (a payment someone else recorded first under this order id) leaves it
 * unpaid: FAILED with `AMOUNT_MISMATCH`, never PAID, and never charged a second time.
 */
export async function settleFromPayment(deps: Pick<OrdersDependencies, 'orders' | 'clock'>, order: Order, payment: BankPayment): Promise<Order> {
  const { status, reason } = verdictOf(order, payment);
  return settleOrder(deps, order, status, reason);
}

/** What the bank's payment makes of the order (logged when it does not match). */
export function verdictOf(order: Order, payment: BankPayment): { status: FinalStatus; reason?: FailureReason } {
  if (paymentMatches(order, payment)) return { status: payment.status === 'APPROVED' ? 'PAID' : 'DECLINED' };
  logger.error('bank payment does not match its order', {
    orderId: order.orderId,
    order: { amountCents: order.totalCents, currency: order.currency },
    payment: { orderId: payment.orderId, amountCents: payment.amountCents, currency: payment.currency, status: payment.status },
  });
  return { status: 'FAILED', reason: 'AMOUNT_MISMATCH' };
}

const paymentMatches = (order: Order, payment: BankPayment): boolean =>
  payment.orderId === order.orderId && payment.amountCents === order.totalCents && payment.currency === order.currency;
