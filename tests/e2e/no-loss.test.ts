import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testDocumentClient, testStack } from '../support/env';
import { NORMAL_FAULTS, newShopper, placeOrder, SAMPLE_CARTS, type Shopper, setFaults, sleep } from './shop';

const CLIENTS = 16;
const ORDERS_PER_CLIENT = 100;
const { table, bankTable } = testStack();
const db = testDocumentClient();

async function storedOrders(username: string) {
  const items: Array<Record<string, any>> = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table('orders'),
        KeyConditionExpression: 'username = :u AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':u': username, ':p': 'ORDER#' },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function payments(orderIds: string[]) {
  const found = new Map<string, Record<string, any>>();
  for (let i = 0; i < orderIds.length; i += 100) {
    let keys: Array<Record<string, any>> | undefined = orderIds.slice(i, i + 100).map((orderId) => ({ orderId }));
    while (keys && keys.length > 0) {
      const result: any = await db.send(new BatchGetCommand({ RequestItems: { [bankTable('payments')]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of result.Responses?.[bankTable('payments')] ?? []) found.set(item.orderId, item);
      keys = result.UnprocessedKeys?.[bankTable('payments')]?.Keys;
    }
  }
  return found;
}

describe('nothing lost, nothing charged twice', () => {
  let shoppers: Shopper[];
  beforeAll(async () => {
    await setFaults(NORMAL_FAULTS);
    shoppers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => newShopper(`noloss${i}x`)));
  });
  afterAll(() => setFaults(NORMAL_FAULTS));

  it(`${CLIENTS} concurrent clients × ${ORDERS_PER_CLIENT} orders: every answered order stored, every PAID order paid once`, async () => {
    // Act: each client places its orders one after the other, all clients at once, as a careful client
    // does: an answer that says "being verified" (503 PAYMENT_PENDING, when a bank call outlived its
    // timeout on a loaded machine) or "still running" (409) is sent again with the same key until final.
    const statuses = new Map<number, number>();
    const answered = new Map<string, number>();
    const latencies: number[] = [];
    let verifyRetries = 0;
    const started = performance.now();
    await Promise.all(
      shoppers.map(async (shopper, client) => {
        for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
          const sent = performance.now();
          const cart = SAMPLE_CARTS[(client + i) % SAMPLE_CARTS.length];
          const key = { 'idempotency-key': `noloss-${client}-${i}` };
          let response = await placeOrder(shopper, cart, key);
          for (let retry = 0; retry < 20 && (response.status === 409 || response.body?.code === 'PAYMENT_PENDING'); retry++) {
            verifyRetries++;
            await sleep(500);
            response = await placeOrder(shopper, cart, key);
          }
          latencies.push(performance.now() - sent);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.body?.order_id) answered.set(response.body.order_id, response.status);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(0);

    // Assess: the table against the answers, then the bank against the table.
    const stored = (await Promise.all(shoppers.map((shopper) => storedOrders(shopper.username)))).flat();
    const byStatus = (status: string) => stored.filter((order) => order.status === status);
    const bank = await payments(stored.map((order) => order.orderId));
    const paymentsPerPaid = byStatus('PAID').map((order) => {
      const payment = bank.get(order.orderId);
      return payment?.status === 'APPROVED' && payment.amountCents === order.totalCents && payment.currency === order.currency ? Number(payment.calls) : 0;
    });
    const ok = statuses.get(201) ?? 0;
    const declined = statuses.get(402) ?? 0;
    const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    process.stdout.write(
      `no-loss: ${CLIENTS}×${ORDERS_PER_CLIENT} in ${seconds.toFixed(1)} s (${((CLIENTS * ORDERS_PER_CLIENT) / seconds).toFixed(0)} orders/s, ` +
        `latency p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${percentile(1)} ms); ` +
        `responses ${JSON.stringify(Object.fromEntries(statuses))}; stored ${stored.length} (PAID ${byStatus('PAID').length}, ` +
        `DECLINED ${byStatus('DECLINED').length}, PENDING ${byStatus('PENDING').length}, FAILED ${byStatus('FAILED').length}); ` +
        `bank payments ${bank.size}; bank calls per PAID order: ${[...new Set(paymentsPerPaid)].join('/')}; ` +
        `answers "being verified" sent again with their key: ${verifyRetries}\n`,
    );

    expect(serverErrors).toBe(0);
    expect(ok + declined).toBe(CLIENTS * ORDERS_PER_CLIENT);
    expect(stored).toHaveLength(ok + declined);
    expect(byStatus('PAID')).toHaveLength(ok);
    expect(byStatus('DECLINED')).toHaveLength(declined);
    expect(paymentsPerPaid.every((calls) => calls === 1)).toBe(true);
    expect(byStatus('DECLINED').every((order) => bank.get(order.orderId)?.status === 'DECLINED')).toBe(true);
    expect(bank.size).toBe(stored.length);
    expect([...answered].every(([orderId, status]) => stored.some((order) => order.orderId === orderId && order.status === (status === 201 ? 'PAID' : 'DECLINED')))).toBe(
      true,
    );
  }, 300_000);
});
