import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testStack } from '../support/env';
import { bankPayment, closeBreaker, health, listOrders, NORMAL_FAULTS, newShopper, PENDING, placeOrder, type Shopper, setFaults, sleep, UNAVAILABLE } from './shop';

const { env } = testStack();
const FAILURES = Number(env.BREAKER_FAILURES ?? 3);
const HALF_OPEN_AFTER_MS = Number(env.BREAKER_HALF_OPEN_AFTER_MS ?? 10_000);

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

describe('the circuit breaker, over HTTP', () => {
  let shopper: Shopper;
  beforeAll(async () => {
    await setFaults(NORMAL_FAULTS);
    shopper = await newShopper('breaker');
  });
  afterAll(() => closeBreaker(shopper, HALF_OPEN_AFTER_MS));

  it('opens after N bank failures, answers at once while open, probes when half-open, and closes on recovery', async () => {
    expect((await health()).breaker).toBe('closed');

    // The bank goes down: N orders reach it and fail (each order FAILED: the bank said it charged nothing).
    await setFaults({ down: true });
    for (let i = 0; i < FAILURES; i++) {
      const response = await placeOrder(shopper);
      expect(response).toMatchObject({ status: 503, body: { ...UNAVAILABLE, code: 'BANK_UNAVAILABLE', order_status: 'FAILED', failure_reason: 'BANK_DOWN' } });
    }
    expect((await health()).breaker).toBe('open');
    const failed = (await listOrders(shopper)).body.orders;
    expect(failed).toHaveLength(FAILURES);
    expect(failed.every((order: { status: string; failure_reason: string }) => order.status === 'FAILED' && order.failure_reason === 'BANK_DOWN')).toBe(true);

    // Open: an immediate 503 without calling the bank, and no order written.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { result, ms } = await timed(() => placeOrder(shopper));
      expect(result).toMatchObject({ status: 503, body: { ...UNAVAILABLE, code: 'BREAKER_OPEN' } });
      expect(Number(result.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      times.push(ms);
    }
    const median = [...times].sort((a, b) => a - b)[2] ?? Infinity;
    process.stdout.write(`open-breaker 503 times (ms): ${times.map((ms) => ms.toFixed(1)).join(', ')}; median ${median.toFixed(1)}\n`);
    expect(median).toBeLessThan(50);
    expect((await listOrders(shopper)).body.orders).toHaveLength(FAILURES);

    // Half-open with the bank still down: the one trial call fails and the breaker opens again.
    await sleep(HALF_OPEN_AFTER_MS);
    expect((await health()).breaker).toBe('half-open');
    expect(await placeOrder(shopper)).toMatchObject({ status: 503, body: { code: 'BANK_UNAVAILABLE' } });
    expect(await placeOrder(shopper)).toMatchObject({ status: 503, body: { code: 'BREAKER_OPEN' } });

    // The bank recovers: after halfOpenAfter the trial call succeeds and the breaker closes.
    await setFaults({ down: false, success_rate: 1 });
    await sleep(HALF_OPEN_AFTER_MS);
    expect(await placeOrder(shopper)).toMatchObject({ status: 201, body: { status: 'ok' } });
    expect((await health()).breaker).toBe('closed');
    expect((await placeOrder(shopper)).status).toBe(201);
  });

  it('counts a bank slower than the timeout as a failure, and the lost answer is found again on retry', async () => {
    const timeoutMs = Number(env.BANK_TIMEOUT_MS ?? 1500);
    await setFaults({ down: false, success_rate: 1, latency_ms: timeoutMs + 300 });
    const key = `slow-${Date.now()}`;
    let slowOrderId: string | undefined;
    try {
      const slow = await placeOrder(shopper, undefined, { 'idempotency-key': key });
      expect(slow).toMatchObject({ status: 503, body: { ...PENDING, order_status: 'PENDING' } });
      slowOrderId = slow.body.order_id;
      // The bank decided before its answer was lost: the order waits PENDING for someone to ask.
      const pending = (await listOrders(shopper)).body.orders.find((order: { order_id: string }) => order.order_id === slow.body.order_id);
      expect(pending.status).toBe('PENDING');
    } finally {
      await setFaults({ latency_ms: 0 });
    }
    const retry = await placeOrder(shopper, undefined, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.body.order_id).toBe(slowOrderId);
    const paid = (await listOrders(shopper)).body.orders.find((order: { order_id: string }) => order.order_id === retry.body.order_id);
    expect(paid.status).toBe('PAID');
    expect((await bankPayment(retry.body.order_id)).body.calls).toBe(1);
  });
});
