import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiResponse, testStack, uniqueName } from '../support/env';
import { expectConforms } from '../support/openapi';
import { retryUntil, sleep } from '../support/wait';
import { bankPayment, closeBreaker, health, listOrders, NORMAL_FAULTS, newShopper, PENDING, placeOrder, type Shopper, setFaults, UNAVAILABLE } from './shop';

/**
 * A flaky bank (`error_rate`: the bank does its work, then its answer is lost as a 500). The
 * client sees a clear `error_service` 503, the breaker counts those 5xx as failures, and a retry
 * with the same Idempotency-Key settles the order from the bank's record: one order and one
 * payment per key, never a second charge. (Bank down and slower than the timeout: breaker.test.ts.)
 */
const { env } = testStack();
const FAILURES = Number(env.BREAKER_FAILURES ?? 3);
const HALF_OPEN_AFTER_MS = Number(env.BREAKER_HALF_OPEN_AFTER_MS ?? 10_000);

let shopper: Shopper;
beforeAll(async () => {
  await setFaults(NORMAL_FAULTS);
  shopper = await newShopper('flaky');
});
afterAll(() => closeBreaker(shopper, HALF_OPEN_AFTER_MS));

/** One order, checked against the contract: every answer is documented, none is a 500. */
async function order(cart: unknown, key: string): Promise<ApiResponse> {
  const response = await placeOrder(shopper, cart, { 'idempotency-key': key });
  expect([201, 402, 409, 503]).toContain(response.status);
  expectConforms('POST', '/api/orders', response);
  return response;
}

describe('a flaky bank', () => {
  it('5xx answers open the breaker like any failure; the charged orders settle on retry without a second charge', async () => {
    // Prepare: every answer lost, after the bank has charged.
    await setFaults({ success_rate: 1, error_rate: 1 });
    const keys = Array.from({ length: FAILURES }, () => uniqueName('lost'));

    // Act: N orders reach the bank and lose its answer; the next one meets the open breaker.
    const lost = [];
    for (const key of keys) lost.push(await order({ items: [{ article: 'Laine', quantity: 1 }] }, key));
    const refused = await order({ items: [{ article: 'Cookies', quantity: 1 }] }, uniqueName('refused'));
    const breakerWhileFlaky = (await health()).breaker;

    // Assess: a clear error_service for each, with the order kept (PENDING: the bank may have charged).
    for (const response of lost) expect(response).toMatchObject({ status: 503, body: { ...PENDING, order_id: expect.any(String), order_status: 'PENDING' } });
    expect(refused).toMatchObject({ status: 503, body: { ...UNAVAILABLE, code: 'BREAKER_OPEN' } });
    expect(refused.body.order_id).toBeUndefined();
    expect(breakerWhileFlaky).toBe('open');
    const pending = (await listOrders(shopper)).body.orders;
    expect(pending.map((o: { status: string }) => o.status)).toEqual(Array(FAILURES).fill('PENDING'));

    // Act: the bank recovers; after halfOpenAfter the same requests are sent again.
    await setFaults({ error_rate: 0 });
    await sleep(HALF_OPEN_AFTER_MS);
    const settled = [];
    for (const key of keys) settled.push(await order({ items: [{ article: 'Laine', quantity: 1 }] }, key));

    // Assess: the same orders, settled from the bank's records, each presented to the bank once.
    expect(settled.map((response) => response.status)).toEqual(Array(FAILURES).fill(201));
    expect(settled.map((response) => response.body.order_id)).toEqual(lost.map((response) => response.body.order_id));
    for (const response of settled) expect((await bankPayment(response.body.order_id)).body.calls).toBe(1);
    expect((await health()).breaker).toBe('closed');
  });

  it('with half of the answers lost (error_rate 0.5), retried keys end in one charged order and one payment each', async () => {
    // Prepare
    await setFaults({ success_rate: 0.5, error_rate: 0.5 });
    const carts = [
      { items: [{ article: 'Fraises', quantity: 1 }] },
      { items: [{ article: 'Pastèques', quantity: 2 }] },
      { items: [{ article: 'Paquet de pâtes', quantity: 3 }] },
    ];
    const keys = Array.from({ length: 12 }, (_, i) => ({ key: uniqueName(`flaky${i}`), cart: carts[i % carts.length]! }));
    const before = new Set((await listOrders(shopper, '?limit=100')).body.orders.map((o: { order_id: string }) => o.order_id));
    const seen = new Map<string, number>();

    // Act: three clients, each retrying its keys until the bank's answer arrives (bounded).
    const finals = new Map<string, ApiResponse>();
    await Promise.all(
      [0, 1, 2].map(async (client) => {
        for (const { key, cart } of keys.filter((_, i) => i % 3 === client)) {
          const final = await retryUntil(
            async () => {
              const response = await order(cart, key);
              const label = response.status === 503 ? `503 ${response.body.code}` : String(response.status);
              seen.set(label, (seen.get(label) ?? 0) + 1);
              return response;
            },
            (response) => response.status === 201 || response.status === 402,
            { attempts: 100, delayMs: 300 },
          );
          finals.set(key, final);
        }
      }),
    );
    await setFaults(NORMAL_FAULTS);
    process.stdout.write(`flaky bank (error_rate 0.5): answers ${JSON.stringify(Object.fromEntries(seen))}\n`);

    // Assess: every key has its final answer, and one charged order, settled as answered. An attempt
    // the breaker refused before it reached the bank (it opened meanwhile) may remain, FAILED and uncharged.
    expect([...finals.values()].every((response) => response.status === 201 || response.status === 402)).toBe(true);
    const created = (await listOrders(shopper, '?limit=100')).body.orders.filter((o: { order_id: string }) => !before.has(o.order_id));
    const finalIds = new Set([...finals.values()].map((response) => response.body.order_id));
    const others = created.filter((o: { order_id: string }) => !finalIds.has(o.order_id));
    expect(created.length - others.length).toBe(keys.length);
    for (const other of others) {
      expect(other).toMatchObject({ status: 'FAILED', failure_reason: 'BREAKER_OPEN' });
      expect((await bankPayment(other.order_id)).status).toBe(404);
    }
    for (const { key } of keys) {
      const final = finals.get(key)!;
      const stored = created.find((o: { order_id: string }) => o.order_id === final.body.order_id);
      expect({ key, status: stored?.status }).toEqual({ key, status: final.status === 201 ? 'PAID' : 'DECLINED' });
      // One payment for the order, matching it; never a second one.
      const payment = (await bankPayment(final.body.order_id)).body;
      expect({ key, status: payment.status, amount: payment.amount }).toEqual({
        key,
        status: final.status === 201 ? 'approved' : 'declined',
        amount: stored.total_cents,
      });
    }
  }, 90_000);
});
