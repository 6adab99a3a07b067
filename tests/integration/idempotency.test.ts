import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { BankUnavailableError } from '../../functions/orders/bank-client';
import { priceCart } from '../../functions/orders/catalogue';
import { OrderError } from '../../functions/orders/errors';
import { fakeBank } from '../../functions/orders/in-memory';
import { newOrderId } from '../../functions/orders/order-id';
import { createOrdersRepository } from '../../functions/orders/orders-repository';
import { hashKey, placeOrder } from '../../functions/orders/place-order';
import type { OrdersDependencies } from '../../functions/orders/ports';
import { testDocumentClient, testDynamo, testStack, uniqueName } from '../support/env';

const db = testDocumentClient();
const dynamo = testDynamo();
const { table } = testStack();
const strawberries = priceCart([{ article: 'Fraises', quantity: 2 }]);
const wool = priceCart([{ article: 'Laine', quantity: 1 }]);

/** The real orders repository on DynamoDB Local, a scripted bank, a clock the test moves. */
function setup() {
  let now = Date.now();
  const bank = fakeBank();
  const orders = createOrdersRepository(dynamo, table('orders'));
  const deps: OrdersDependencies = {
    orders,
    bank: bank.client,
    clock: { now: () => now },
    newOrderId: (ms) => newOrderId(ms),
    policy: { idempotencyTtlSeconds: 3600, inProgressMs: 3500, payWindowMs: 40_000, reconcileAfterMs: 60_000 },
  };
  return { deps, bank, orders, advance: (ms: number) => (now += ms) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return error instanceof OrderError ? error.code : `unexpected: ${String(error)}`;
  }
}

const pays = (bank: ReturnType<typeof fakeBank>) => bank.calls.filter((call) => call.op === 'pay').length;

describe('Idempotency-Key on DynamoDB Local (the key claim is the idempotency record)', () => {
  it('replays the first outcome for the same key and cart, with one order and one charge', async () => {
    const { deps, bank, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };

    const first = await placeOrder(deps, input);
    const again = await placeOrder(deps, input);

    expect(first.replayed).toBeUndefined();
    expect(again).toEqual({ ...first, replayed: true });
    expect(pays(bank)).toBe(1);
    expect((await orders.list(input.username, { limit: 10 })).orders).toHaveLength(1);
  });

  it('refuses the same key with another cart (422)', async () => {
    const { deps } = setup();
    const username = uniqueName('u');
    const idempotencyKey = uniqueName('key');
    await placeOrder(deps, { username, cart: strawberries, idempotencyKey });
    expect(await codeOf(placeOrder(deps, { username, cart: wool, idempotencyKey }))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 to duplicates while the first request waits for the bank; exactly one order and one charge', async () => {
    // Prepare: hold the bank until every duplicate has been answered.
    const { deps, bank, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };
    let duplicates: string[] = [];
    bank.whilePaying(async () => {
      duplicates = await Promise.all(Array.from({ length: 5 }, () => codeOf(placeOrder(deps, input))));
    });

    // Act
    const first = await placeOrder(deps, input);

    // Assess
    expect(first.result).toBe('paid');
    expect(duplicates).toEqual(Array(5).fill('IDEMPOTENCY_IN_PROGRESS'));
    expect(pays(bank)).toBe(1);
    expect((await orders.list(input.username, { limit: 10 })).orders).toHaveLength(1);
  });

  it('lets exactly one of concurrent first requests with the same key place the order', async () => {
    const { deps, bank, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };

    const codes = await Promise.all(Array.from({ length: 8 }, () => codeOf(placeOrder(deps, input))));

    const stored = (await orders.list(input.username, { limit: 10 })).orders;
    expect(stored).toHaveLength(1);
    expect(pays(bank)).toBe(1);
    // The others saw the order PENDING (409) or already paid (a replay).
    expect(codes.every((code) => code === 'none' || code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
  });

  it('keeps keys apart per user', async () => {
    const { deps, bank } = setup();
    const idempotencyKey = uniqueName('key');
    const a = await placeOrder(deps, { username: uniqueName('a'), cart: strawberries, idempotencyKey });
    const b = await placeOrder(deps, { username: uniqueName('b'), cart: wool, idempotencyKey });
    expect(b.order.orderId).not.toBe(a.order.orderId);
    expect(pays(bank)).toBe(2);
  });

  it('remembers no 503: after the bank was down, the next request with the key places a fresh order', async () => {
    const { deps, bank, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };
    bank.fail(new BankUnavailableError('BANK_DOWN', 'no', 1000));
    expect(await codeOf(placeOrder(deps, input))).toBe('BANK_UNAVAILABLE');
    bank.answer('APPROVED');

    const retried = await placeOrder(deps, input);

    expect(retried.result).toBe('paid');
    const claim = await orders.findClaim(input.username, hashKey(input.idempotencyKey), Math.floor(Date.now() / 1000));
    expect(claim?.orderId).toBe(retried.order.orderId);
    const statuses = (await orders.list(input.username, { limit: 10 })).orders.map((order) => order.status).sort();
    expect(statuses).toEqual(['FAILED', 'PAID']);
  });

  it('writes no claim without a key', async () => {
    const { deps, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries };
    await placeOrder(deps, input);
    await placeOrder(deps, input);
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: table('orders'), KeyConditionExpression: 'username = :u', ExpressionAttributeValues: { ':u': input.username } }),
    );
    expect(Items.map((item) => String(item.sk).split('#')[0])).toEqual(['ORDER', 'ORDER']);
    expect((await orders.list(input.username, { limit: 10 })).orders).toHaveLength(2);
  });
});
