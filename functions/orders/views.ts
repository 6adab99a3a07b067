import { toEuros } from './catalogue';
import { MESSAGES } from './errors';
import type { Order, OrderOutcome } from './model';

/** Amounts are integer cents inside; JSON shows euros as numbers (`total: 5`) and the cents beside them. */
export const orderView = (order: Order) => ({
  order_id: order.orderId,
  status: order.status,
  total: toEuros(order.totalCents),
  total_cents: order.totalCents,
  currency: order.currency,
  items: order.lines.map((line) => ({
    article: line.article,
    quantity: line.quantity,
    unit_price: toEuros(line.unitPriceCents),
    total_price: toEuros(line.lineTotalCents),
  })),
  created_at: order.createdAt,
  updated_at: order.updatedAt,
  ...(order.failureReason ? { failure_reason: order.failureReason } : {}),
});

/**
 * The contract's POST answers: 201 `{status: "ok", …}` or 402 `{status: "error", …}`. The
 * order's own status moves to `order_status`, since `status` is the original project's outcome word.
 */
export function outcomeResponse(outcome: OrderOutcome) {
  const { status: orderStatus, ...order } = orderView(outcome.order);
  const headers: Record<string, string> = outcome.replayed ? { 'Idempotent-Replayed': 'true' } : {};
  return outcome.result === 'paid'
    ? { statusCode: 201, headers, body: { status: 'ok', message: MESSAGES.paid, ...order, order_status: orderStatus } }
    : { statusCode: 402, headers, body: { status: 'error', code: 'PAYMENT_DECLINED', message: MESSAGES.declined, ...order, order_status: orderStatus } };
}
