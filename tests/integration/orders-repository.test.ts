import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { createPaymentsRepository } from '../../bank/src/payments-repository';
import { priceCart } from '../../functions/orders/catalogue';
import { sampleOrder } from '../../functions/orders/in-memory';
import type { Order } from '../../functions/orders/model';
import { orderIdFloor } from '../../functions/orders/order-id';
import { createOrdersRepository } from '../../functions/orders/orders-repository';
import { testDocumentClient, testDynamo, testStack, uniqueName } from '../support/env';

const db = testDocumentClient();
const dynamo = testDynamo();
const { table, bankTable } = testStack();
const cart = priceCart([{ article: 'Fraises', quantity: 2 }]);

const newOrder = (username: string, atMs = Date.now()): Order => sampleOrder(username, atMs, { cart });

describe('orders repository on DynamoDB Local', () => {
  const orders = createOrdersRepository(dynamo, table('orders'));

  it('moves an order only from PENDING: the first settlement wins, later ones change nothing', async () => {
    // Prepare
    const order = newOrder(uniqueName('alice'));
    await orders.create(order);

    // Act
    const results = await Promise.all(
      (['PAID', 'DECLINED', 'FAILED', 'PAID', 'FAILED'] as const).map((status) => orders.settle(order, status, new Date().toISOString())),
    );

    // Assess
    const winners = results.filter((result) => result.changed);
    expect(winners).toHaveLength(1);
    const stored = await orders.find(order.username, order.orderId);
    expect(stored?.status).toBe(winners[0]?.order.status);
    expect(results.every((result) => result.order.status === stored?.status)).toBe(true);
  });

  it('takes a settled order off the pending index', async () => {
    const old = Date.now() - 3600_000;
    const stays = newOrder(uniqueName('p'), old);
    const leaves = newOrder(uniqueName('p'), old + 1);
    await orders.create(stays);
    await orders.create(leaves);
    await orders.settle(leaves, 'PAID', new Date().toISOString());
    const pending = await orders.listPending(orderIdFloor(old + 2), 1000);
    const ids = pending.map((order) => order.orderId);
    expect(ids).toContain(stays.orderId);
    expect(ids).not.toContain(leaves.orderId);
    expect(ids).toEqual([...ids].sort());
  });

  it('binds an Idempotency-Key to one order only, writing nothing for the loser', async () => {
    const username = uniqueName('k');
    const contenders = Array.from({ length: 8 }, () => newOrder(username));
    const results = await Promise.all(
      contenders.map((order) => orders.create(order, { keyHash: 'key-1', orderId: order.orderId, fingerprint: 'fraisesx2', expiresAt: 2_000_000_000 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = contenders[results.indexOf(true)];
    expect(await orders.findClaim(username, 'key-1', Math.floor(Date.now() / 1000))).toEqual({ keyHash: 'key-1', orderId: winner?.orderId, fingerprint: 'fraisesx2' });
    const { orders: stored } = await orders.list(username, { limit: 50 });
    expect(stored.map((order) => order.orderId)).toEqual([winner?.orderId]);
  });

  it('hands a key over to a new order only if it still points at the one being replaced', async () => {
    const username = uniqueName('r');
    const first = newOrder(username);
    await orders.create(first, { keyHash: 'k', orderId: first.orderId, fingerprint: 'f', expiresAt: 2_000_000_000 });
    const second = newOrder(username);
    expect(await orders.create(second, { keyHash: 'k', orderId: second.orderId, fingerprint: 'f', replaces: first.orderId, expiresAt: 2_000_000_000 })).toBe(true);
    const third = newOrder(username);
    expect(await orders.create(third, { keyHash: 'k', orderId: third.orderId, fingerprint: 'f', replaces: first.orderId, expiresAt: 2_000_000_000 })).toBe(false);
    expect((await orders.findClaim(username, 'k', Math.floor(Date.now() / 1000)))?.orderId).toBe(second.orderId);
    expect(await orders.find(username, third.orderId)).toBeUndefined();
  });

  it('lets an expired claim bind its key to a new order, and never answers with an expired claim', async () => {
    // Prepare: a claim whose time is up, not yet removed by the table's TTL.
    const username = uniqueName('x');
    const now = Math.floor(Date.now() / 1000);
    const old = newOrder(username);
    await orders.create(old, { keyHash: 'k', orderId: old.orderId, fingerprint: 'f', expiresAt: now - 1 }, now - 3600);
    expect(await orders.findClaim(username, 'k', now)).toBeUndefined();
    expect((await orders.findClaim(username, 'k', now - 2))?.orderId).toBe(old.orderId);

    // Act
    const fresh = newOrder(username);
    const bound = await orders.create(fresh, { keyHash: 'k', orderId: fresh.orderId, fingerprint: 'g', expiresAt: now + 3600 }, now);

    // Assess
    expect(bound).toBe(true);
    expect(await orders.findClaim(username, 'k', now)).toEqual({ keyHash: 'k', orderId: fresh.orderId, fingerprint: 'g' });
    const other = newOrder(username);
    expect(await orders.create(other, { keyHash: 'k', orderId: other.orderId, fingerprint: 'g', expiresAt: now + 3600 }, now)).toBe(false);
  });

  it('lists one user’s orders newest first, page by page, never another user’s', async () => {
    const alice = uniqueName('a');
    const bob = uniqueName('b');
    const base = Date.now() - 10_000;
    const mine = [0, 1, 2, 3, 4].map((i) => newOrder(alice, base + i));
    for (const order of [...mine, newOrder(bob, base + 2)]) await orders.create(order);
    await orders.create(newOrder(alice, base + 5), { keyHash: 'kk', orderId: 'x', fingerprint: 'f', expiresAt: 2_000_000_000 });

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await orders.list(alice, { limit: 2, afterOrderId: after });
      seen.push(...page.orders.map((order) => order.orderId));
      after = page.lastOrderId;
    } while (after);
    expect(seen.slice(1)).toEqual(mine.map((order) => order.orderId).reverse());
    expect(seen).toHaveLength(6);
  });

  it('stores Idempotency-Key bindings with an expiry for the table’s TTL', async () => {
    const username = uniqueName('ttl');
    const order = newOrder(username);
    await orders.create(order, { keyHash: 'h', orderId: order.orderId, fingerprint: 'f', expiresAt: 1_900_000_000 });
    const { Item } = await db.send(new GetCommand({ TableName: table('orders'), Key: { username, sk: 'KEY#h' } }));
    expect(Item?.expiresAt).toBe(1_900_000_000);
  });
});

describe('the bank’s payments repository on DynamoDB Local (its own table)', () => {
  const payments = createPaymentsRepository(dynamo, bankTable('payments'));

  it('keeps one payment per order id under 12 concurrent attempts, and counts every call', async () => {
    const orderId = uniqueName('order');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        payments.recordOnce({ orderId, amountCents: 500, currency: 'EUR', status: i % 2 ? 'APPROVED' : 'DECLINED', createdAt: new Date().toISOString() }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const first = results.find((result) => result.created)?.payment;
    expect(new Set(results.map((result) => result.payment.status))).toEqual(new Set([first?.status]));
    expect(await payments.find(orderId)).toMatchObject({ orderId, amountCents: 500, currency: 'EUR', status: first?.status, calls: 12 });
  });

  it('keeps the first amount and currency: a later attempt with others gets the stored payment back', async () => {
    const orderId = uniqueName('order');
    await payments.recordOnce({ orderId, amountCents: 500, currency: 'EUR', status: 'APPROVED', createdAt: new Date().toISOString() });
    const later = await payments.recordOnce({ orderId, amountCents: 1, currency: 'USD', status: 'APPROVED', createdAt: new Date().toISOString() });
    expect(later).toEqual({ created: false, payment: expect.objectContaining({ amountCents: 500, currency: 'EUR', calls: 2 }) });
    expect(await payments.find(orderId)).toMatchObject({ amountCents: 500, currency: 'EUR', calls: 2 });
  });

  it('finds nothing for an order the bank never saw', async () => {
    expect(await payments.find(uniqueName('none'))).toBeUndefined();
  });
});
