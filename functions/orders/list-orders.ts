import { MESSAGES, OrderError } from './errors';
import type { Order } from './model';
import { ORDER_ID_PATTERN } from './order-id';
import type { OrdersRepository } from './ports';

export interface OrdersListPage {
  orders: Order[];
  nextCursor?: string | undefined;
}

/**
 * One page of the user's orders, newest first. The cursor is opaque to clients; it only
 * names a position inside the caller's own orders, so it can never reach another user's.
 */
export async function listOrders(deps: { orders: OrdersRepository }, username: string, page: { limit: number; cursor?: string | undefined }): Promise<OrdersListPage> {
  const afterOrderId = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const { orders, lastOrderId } = await deps.orders.list(username, { limit: page.limit, afterOrderId });
  return { orders, nextCursor: lastOrderId === undefined ? undefined : encodeCursor(lastOrderId) };
}

export const encodeCursor = (orderId: string): string => Buffer.from(JSON.stringify({ after: orderId }), 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && ORDER_ID_PATTERN.test(after)) return after;
  } catch {
    // Falls through to the same answer as any other bad cursor.
  }
  throw new OrderError('INVALID_CURSOR', MESSAGES.invalidCursor);
}
