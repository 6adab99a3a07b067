import { describe, expect, it } from '@jest/globals';
import { priceCart } from './catalogue';
import { OrderError } from './errors';
import { inMemoryOrders, sampleOrder } from './in-memory';
import { encodeCursor, listOrders } from './list-orders';
import type { Order } from './model';

const cart = priceCart([{ article: 'Laine', quantity: 1 }]);
const orderAt = (username: string, ms: number): Order => sampleOrder(username, ms, { status: 'PAID', cart });

describe('listOrders', () => {
  it('pages through the caller’s orders, newest first, with an opaque cursor', async () => {
    // Prepare
    const orders = inMemoryOrders();
    const mine = [1, 2, 3, 4, 5].map((i) => orderAt('alice', Date.UTC(2026, 0, i)));
    for (const order of [...mine, orderAt('bob', Date.UTC(2026, 0, 3))]) await orders.create(order);

    // Act
    const first = await listOrders({ orders }, 'alice', { limit: 2 });
    const second = await listOrders({ orders }, 'alice', { limit: 2, cursor: first.nextCursor });
    const third = await listOrders({ orders }, 'alice', { limit: 2, cursor: second.nextCursor });

    // Assess
    const ids = [...first.orders, ...second.orders, ...third.orders].map((order) => order.orderId);
    expect(ids).toEqual(mine.map((order) => order.orderId).reverse());
    expect(third.nextCursor).toBeUndefined();
    expect(first.nextCursor).not.toContain(mine[0]?.orderId);
  });

  it.each(['garbage', encodeCursor('not-an-order-id'), Buffer.from('{"after":1}').toString('base64url'), 'bnVsbA'])('refuses the cursor %j with 400', async (cursor) => {
    const error = await listOrders({ orders: inMemoryOrders() }, 'alice', { limit: 2, cursor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderError);
    expect(error).toMatchObject({ statusCode: 400, code: 'INVALID_CURSOR' });
  });
});
