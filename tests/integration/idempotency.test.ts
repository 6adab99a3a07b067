import { describe, expect, it } from '@jest/globals';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { createDynamoClient } from '../../lib/dynamo';
import { priceCart } from '../../functions/orders/catalogue';
import { OrderError, serviceUnavailable } from '../../functions/orders/errors';
import { createIdempotentOrders } from '../../functions/orders/idempotency';
import type { Order } from '../../functions/orders/orders-repository';
import type { OrderOutcome, PlaceOrderInput } from '../../functions/orders/place-order';
import { testStack, uniqueName } from '../support/env';

const { dynamoEndpoint, table } = testStack();
const client = createDynamoClient({ endpoint: dynamoEndpoint, region: 'eu-west-3' });
const strawberries = priceCart([{ article: 'Fraises', quantity: 2 }]);
const wool = priceCart([{ article: 'Laine', quantity: 1 }]);

/** A stand-in for placeOrder that counts runs and can be held mid-flight. */
function countingPlace() {
  let runs = 0;
  let gate: Promise<void> | undefined;
  let failNext: Error | undefined;
  const place = async (input: PlaceOrderInput): Promise<OrderOutcome> => {
    runs++;
    await gate;
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    const order: Order = {
      orderId: `order-${runs}`,
      username: input.username,
      status: 'PAID',
      lines: input.cart.lines,
      totalCents: input.cart.totalCents,
      currency: 'EUR',
      createdAt: '2026-06-01T12:00:00.000Z',
      updatedAt: '2026-06-01T12:00:00.000Z',
    };
    return { result: 'paid', order };
  };
  return {
    place,
    runs: () => runs,
    hold: () => {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    failOnce: (error: Error) => {
      failNext = error;
    },
  };
}

function setup() {
  const place = countingPlace();
  const orders = createIdempotentOrders(place.place, {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: table('idempotency'), awsSdkV3Client: client }),
    expiresAfterSeconds: 3600,
  });
  orders.registerContext({ getRemainingTimeInMillis: () => 10_000 } as never);
  return { place, orders };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return error instanceof OrderError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('Powertools Idempotency on DynamoDB Local', () => {
  it('replays the first outcome for the same key and cart, without running again', async () => {
    const { place, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };
    const first = await orders.place(input);
    const again = await orders.place(input);
    expect(place.runs()).toBe(1);
    expect(first.replayed).toBeUndefined();
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('refuses the same key with another cart (422)', async () => {
    const { orders } = setup();
    const username = uniqueName('u');
    const idempotencyKey = uniqueName('key');
    await orders.place({ username, cart: strawberries, idempotencyKey });
    expect(await codeOf(orders.place({ username, cart: wool, idempotencyKey }))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 to a duplicate while the first request is still running', async () => {
    const { place, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };
    const release = place.hold();
    const first = orders.place(input);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await codeOf(orders.place(input))).toBe('IDEMPOTENCY_IN_PROGRESS');
    release();
    await expect(first).resolves.toMatchObject({ result: 'paid' });
    expect(place.runs()).toBe(1);
  });

  it('keeps keys apart per user', async () => {
    const { place, orders } = setup();
    const idempotencyKey = uniqueName('key');
    await orders.place({ username: uniqueName('a'), cart: strawberries, idempotencyKey });
    await orders.place({ username: uniqueName('b'), cart: wool, idempotencyKey });
    expect(place.runs()).toBe(2);
  });

  it('remembers no 503: the next request with the key runs again', async () => {
    const { place, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries, idempotencyKey: uniqueName('key') };
    place.failOnce(serviceUnavailable('BANK_UNAVAILABLE', 1));
    expect(await codeOf(orders.place(input))).toBe('BANK_UNAVAILABLE');
    await expect(orders.place(input)).resolves.toMatchObject({ result: 'paid' });
    expect(place.runs()).toBe(2);
  });

  it('does no idempotency work without a key', async () => {
    const { place, orders } = setup();
    const input = { username: uniqueName('u'), cart: strawberries };
    await orders.place(input);
    await orders.place(input);
    expect(place.runs()).toBe(2);
  });
});
