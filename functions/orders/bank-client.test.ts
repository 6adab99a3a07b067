import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { runInvocation, startInvocation } from '../../lib/trace';
import { BankUnavailableError, createBankClient, createBankPolicy } from './bank-client';
import type { BankClient } from './ports';

const SETTINGS = { timeoutMs: 1500, failures: 3, halfOpenAfterMs: 10_000 };

type Answer = { status: number; body?: unknown } | 'hang' | 'network-error';

/** A fetch that answers from a script, counts calls, and can hang until the test releases it. */
function scriptedFetch() {
  const queue: Answer[] = [];
  let fallback: Answer = { status: 200, body: { status: 'approved' } };
  const calls: string[] = [];
  const requests: Array<{ headers: Record<string, string>; body: unknown }> = [];
  const hanging: Array<(response: Response) => void> = [];
  const fetch: typeof globalThis.fetch = async (url, init) => {
    calls.push(String(url));
    requests.push({ headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const answer = queue.shift() ?? fallback;
    if (answer === 'network-error') throw new TypeError('fetch failed');
    if (answer === 'hang') {
      return new Promise<Response>((resolve, reject) => {
        hanging.push(resolve);
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  };
  return {
    fetch,
    calls,
    requests,
    answer: (...answers: Answer[]) => queue.push(...answers),
    always: (answer: Answer) => {
      fallback = answer;
    },
    release: (status = 200, body: unknown = { status: 'approved' }) => hanging.shift()?.(new Response(JSON.stringify(body), { status })),
  };
}

function setup() {
  const server = scriptedFetch();
  const lines: Array<{ message: string }> = [];
  const log = { info: (message: string) => lines.push({ message }), warn: (message: string) => lines.push({ message }) };
  const policy = createBankPolicy(SETTINGS, log as never);
  const errors: string[] = [];
  const endpoint = async () => ({ baseUrl: 'http://bank.test/bank/', merchantKey: KEY });
  const bank = createBankClient({ endpoint, policy, transport: server.fetch, log: { error: (message: string) => errors.push(message) } as never });
  return { server, bank, lines, errors };
}

const KEY = 'k'.repeat(40);
const payment = (orderId: string, amountCents: number) => ({ orderId, amountCents, currency: 'EUR' });

const DOWN = { status: 503, body: { code: 'BANK_DOWN' } };
const DECLINED = { status: 402, body: { status: 'declined', code: 'PAYMENT_DECLINED' } };

async function unavailable(promise: Promise<unknown>): Promise<BankUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BankUnavailableError)) throw new Error(`expected BankUnavailableError, got ${String(error)}`);
  return error;
}

async function failTimes(bank: BankClient, n: number) {
  for (let i = 0; i < n; i++) await unavailable(bank.pay(payment(`o${i}`, 100)));
}

describe('the bank client’s breaker', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 5, 1) });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('opens after N consecutive failures, then refuses at once without calling the bank', async () => {
    // Prepare
    const { server, bank, lines } = setup();
    server.always(DOWN);

    // Act
    await failTimes(bank, 3);
    const refused = await unavailable(bank.pay(payment('o4', 100)));

    // Assess
    expect(server.calls).toHaveLength(3);
    expect(refused).toMatchObject({ reason: 'BREAKER_OPEN', charged: 'no' });
    expect(refused.retryAfterMs).toBe(10_000);
    expect(bank.breakerState()).toBe('open');
    expect(lines.map((line) => line.message)).toEqual(['bank breaker opened']);
  });

  it('never opens on declines: a decline is an answer', async () => {
    const { server, bank } = setup();
    server.always(DECLINED);
    for (let i = 0; i < 10; i++) await expect(bank.pay(payment(`o${i}`, 100))).resolves.toMatchObject({ status: 'DECLINED' });
    expect(server.calls).toHaveLength(10);
    expect(bank.breakerState()).toBe('closed');
  });

  it('does not count a 4xx request error, and a success resets the count', async () => {
    const { server, bank } = setup();
    server.answer(DOWN, DOWN, { status: 200, body: { status: 'approved' } }, DOWN, DOWN, { status: 409, body: { code: 'AMOUNT_MISMATCH' } });
    await failTimes(bank, 2);
    await expect(bank.pay(payment('ok', 100))).resolves.toMatchObject({ status: 'APPROVED' });
    await failTimes(bank, 2);
    expect(await unavailable(bank.pay(payment('mismatch', 100)))).toMatchObject({ reason: 'AMOUNT_MISMATCH', charged: 'no' });
    expect(bank.breakerState()).toBe('closed');
  });

  it('counts a timeout as a failure, and says the bank may have charged', async () => {
    const { server, bank } = setup();
    server.always('hang');
    for (let i = 0; i < 3; i++) {
      const call = unavailable(bank.pay(payment(`slow${i}`, 100)));
      await jest.advanceTimersByTimeAsync(SETTINGS.timeoutMs);
      expect(await call).toMatchObject({ reason: 'TIMEOUT', charged: 'unknown' });
    }
    expect(bank.breakerState()).toBe('open');
  });

  it('counts transport errors and 5xx other than BANK_DOWN as "perhaps charged" failures', async () => {
    const { server, bank } = setup();
    server.answer('network-error', { status: 500 }, { status: 502 });
    expect(await unavailable(bank.pay(payment('a', 100)))).toMatchObject({ reason: 'TRANSPORT', charged: 'unknown' });
    expect(await unavailable(bank.pay(payment('b', 100)))).toMatchObject({ reason: 'BANK_ERROR', charged: 'unknown' });
    expect(await unavailable(bank.pay(payment('c', 100)))).toMatchObject({ reason: 'BANK_ERROR', charged: 'unknown' });
    expect(bank.breakerState()).toBe('open');
  });

  it('lets one trial call through once half-open, and closes when it succeeds', async () => {
    // Prepare: open, then wait out halfOpenAfter.
    const { server, bank, lines } = setup();
    server.always(DOWN);
    await failTimes(bank, 3);
    jest.advanceTimersByTime(SETTINGS.halfOpenAfterMs - 1);
    await unavailable(bank.pay(payment('still-open', 100)));
    jest.advanceTimersByTime(1);
    expect(bank.breakerState()).toBe('half-open');

    // Act: two calls arrive while the trial is in flight.
    server.always('hang');
    const trial = bank.pay(payment('trial', 100));
    const waiting = bank.pay(payment('waiting', 100));
    await jest.advanceTimersByTimeAsync(10);

    // Assess: only the trial reached the bank.
    expect(server.calls).toHaveLength(4);
    expect(bank.breakerState()).toBe('half-open');
    server.always({ status: 200, body: { status: 'approved' } });
    server.release();
    await expect(trial).resolves.toMatchObject({ status: 'APPROVED' });
    await expect(waiting).resolves.toMatchObject({ status: 'APPROVED' });
    expect(bank.breakerState()).toBe('closed');
    expect(lines.map((line) => line.message)).toEqual(['bank breaker opened', 'bank breaker half-open', 'bank breaker closed']);
  });

  it('reopens when the trial call fails, for another halfOpenAfter', async () => {
    const { server, bank } = setup();
    server.always(DOWN);
    await failTimes(bank, 3);
    jest.advanceTimersByTime(SETTINGS.halfOpenAfterMs);
    expect(await unavailable(bank.pay(payment('trial', 100)))).toMatchObject({ reason: 'BANK_DOWN', charged: 'no' });
    expect(bank.breakerState()).toBe('open');
    expect(bank.msUntilCallAllowed()).toBe(SETTINGS.halfOpenAfterMs);
    expect(await unavailable(bank.pay(payment('refused', 100)))).toMatchObject({ reason: 'BREAKER_OPEN' });
    expect(server.calls).toHaveLength(4);
  });

  it('asks the bank about an order: found, not found (404), or unavailable', async () => {
    const { server, bank } = setup();
    server.answer({ status: 200, body: { order_id: 'a', status: 'declined', amount: 250, currency: 'EUR' } }, { status: 404, body: { code: 'PAYMENT_NOT_FOUND' } }, DOWN);
    await expect(bank.findPayment('a')).resolves.toEqual({ orderId: 'a', status: 'DECLINED', amountCents: 250, currency: 'EUR' });
    await expect(bank.findPayment('b')).resolves.toBeUndefined();
    await unavailable(bank.findPayment('c'));
    expect(server.calls).toEqual(['http://bank.test/bank/payments/a', 'http://bank.test/bank/payments/b', 'http://bank.test/bank/payments/c']);
  });

  it('sends the merchant key and the currency, and returns the bank’s record as it answered', async () => {
    const { server, bank } = setup();
    server.answer({ status: 200, body: { order_id: 'o1', status: 'approved', amount: 1, currency: 'USD' } });
    await expect(bank.pay(payment('o1', 100))).resolves.toEqual({ orderId: 'o1', status: 'APPROVED', amountCents: 1, currency: 'USD' });
    expect(server.requests[0]).toEqual({
      headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
      body: { order_id: 'o1', amount: 100, currency: 'EUR' },
    });
    expect(bank.credential()).toBe('accepted');
  });

  it('counts a refused merchant credential (401/403) as a failure of the shop: not charged, one ERROR line, breaker opens', async () => {
    const { server, bank, errors } = setup();
    server.answer({ status: 401, body: { code: 'MERCHANT_UNAUTHORIZED' } }, { status: 403, body: {} }, { status: 401, body: {} });
    expect(await unavailable(bank.pay(payment('a', 100)))).toMatchObject({ reason: 'CREDENTIAL_REFUSED', charged: 'no' });
    expect(bank.credential()).toBe('refused');
    expect(errors).toEqual(['bank refused the merchant credential']);
    await unavailable(bank.pay(payment('b', 100)));
    await unavailable(bank.findPayment('c'));
    expect(bank.breakerState()).toBe('open');
  });

  it('reads the fault settings outside the breaker, and reports none when the bank has no such route', async () => {
    const { server, bank } = setup();
    server.always(DOWN);
    await failTimes(bank, 3);
    server.answer({ status: 200, body: { success_rate: 0.5, latency_ms: 0, down: true, error_rate: 0.5 } }, { status: 404 });
    await expect(bank.faults()).resolves.toEqual({ success_rate: 0.5, latency_ms: 0, down: true, error_rate: 0.5 });
    await expect(bank.faults()).resolves.toBeUndefined();
  });
});

describe('the bank.call span', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 5, 1) });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** The attrs (and error) of each `bank.call` span recorded while `work` runs in one invocation. */
  async function spansOf(work: () => Promise<unknown>) {
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    await runInvocation(invocation, work);
    return invocation.spans.filter((span) => span.name === 'bank.call').map(({ attrs, error }): Record<string, unknown> => ({ ...attrs, ...(error ? { error } : {}) }));
  }

  const base = { timeout_ms: SETTINGS.timeoutMs };

  it('says paid or declined with the status, and the breaker before and after', async () => {
    const { server, bank } = setup();
    server.answer({ status: 200, body: { status: 'approved' } }, DECLINED);
    const spans = await spansOf(async () => {
      await bank.pay(payment('a', 100));
      await bank.pay(payment('b', 100));
    });
    expect(spans).toEqual([
      { ...base, breaker_before: 'closed', breaker_after: 'closed', outcome: 'paid', status: 200 },
      { ...base, breaker_before: 'closed', breaker_after: 'closed', outcome: 'declined', status: 402 },
    ]);
  });

  it('shows the failing call that opens the breaker (closed → open), then the calls the open breaker refuses', async () => {
    const { server, bank } = setup();
    server.always(DOWN);
    const spans = await spansOf(async () => {
      await failTimes(bank, SETTINGS.failures);
      await unavailable(bank.pay(payment('refused', 100)));
    });
    const down = { ...base, outcome: 'unavailable', status: 503, error: 'BANK_DOWN' };
    expect(spans).toEqual([
      { ...down, breaker_before: 'closed', breaker_after: 'closed' },
      { ...down, breaker_before: 'closed', breaker_after: 'closed' },
      { ...down, breaker_before: 'closed', breaker_after: 'open' },
      { ...base, breaker_before: 'open', breaker_after: 'open', outcome: 'breaker-open', error: 'BREAKER_OPEN' },
    ]);
  });

  it('shows the trial call of a half-open breaker closing it', async () => {
    const { server, bank } = setup();
    server.always(DOWN);
    await failTimes(bank, SETTINGS.failures);
    jest.advanceTimersByTime(SETTINGS.halfOpenAfterMs);
    server.always({ status: 200, body: { status: 'approved' } });
    expect(await spansOf(() => bank.pay(payment('trial', 100)))).toEqual([
      { ...base, breaker_before: 'half-open', breaker_after: 'closed', outcome: 'paid', status: 200 },
    ]);
  });

  it('says not-found, timeout (no status), refused and error', async () => {
    const { server, bank } = setup();
    server.answer({ status: 404, body: { code: 'PAYMENT_NOT_FOUND' } }, 'hang', { status: 401, body: {} }, { status: 500, body: { code: 'BANK_ERROR' } });
    const spans = await spansOf(async () => {
      await bank.findPayment('unknown');
      const slow = unavailable(bank.pay(payment('slow', 100)));
      await jest.advanceTimersByTimeAsync(SETTINGS.timeoutMs);
      await slow;
      await unavailable(bank.pay(payment('key', 100)));
      await unavailable(bank.pay(payment('lost', 100)));
    });
    expect(spans.map(({ outcome, status, error }) => ({ outcome, status, error }))).toEqual([
      { outcome: 'not-found', status: 404, error: undefined },
      { outcome: 'timeout', status: undefined, error: 'TIMEOUT' },
      { outcome: 'refused', status: 401, error: 'CREDENTIAL_REFUSED' },
      { outcome: 'error', status: 500, error: 'BANK_ERROR' },
    ]);
  });
});
