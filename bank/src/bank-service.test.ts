import { describe, expect, it } from '@jest/globals';
import { runInvocation, startInvocation } from '../../lib/trace';
import { currentFaults, findPayment, isAtDefaults, pay, resetFaults, updateFaults } from './bank-service';
import { BankError } from './errors';
import { inMemoryFaults, inMemoryPayments } from './in-memory';
import type { BankDependencies } from './ports';
import { approves, createRandomSource } from './random';

function setup(draw = 0.3) {
  const slept: number[] = [];
  const deps = {
    payments: inMemoryPayments(),
    faults: inMemoryFaults(),
    random: () => draw,
    faultDraw: () => 0.5,
    clock: { now: () => Date.UTC(2026, 5, 1) },
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    defaults: { successRate: 0.5, latencyMs: 0, down: false, errorRate: 0 },
  } satisfies BankDependencies;
  return { deps, slept };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return error instanceof BankError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('pay', () => {
  it('approves when the draw is under the success rate, declines otherwise', async () => {
    expect((await pay(setup(0.49).deps, { orderId: 'a', amountCents: 500, currency: 'EUR' })).status).toBe('APPROVED');
    expect((await pay(setup(0.5).deps, { orderId: 'a', amountCents: 500, currency: 'EUR' })).status).toBe('DECLINED');
  });

  it('answers a repeated order id with its first answer and never charges twice', async () => {
    // Prepare
    const { deps } = setup(0.1);
    const first = await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });

    // Act: the draw would now decline.
    deps.random = () => 0.99;
    const again = await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });

    // Assess
    expect(again).toMatchObject({ status: first.status, createdAt: first.createdAt, calls: 2 });
    expect(deps.payments.items.size).toBe(1);
  });

  it('refuses the same order id with another amount (409) and keeps the first payment', async () => {
    const { deps } = setup();
    await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });
    expect(await codeOf(pay(deps, { orderId: 'o1', amountCents: 900, currency: 'EUR' }))).toBe('AMOUNT_MISMATCH');
    expect(deps.payments.items.get('o1')?.amountCents).toBe(500);
  });

  it('answers 503 and records nothing while down', async () => {
    const { deps } = setup();
    await updateFaults(deps, { down: true });
    expect(await codeOf(pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' }))).toBe('BANK_DOWN');
    expect(await codeOf(findPayment(deps, 'o1'))).toBe('BANK_DOWN');
    expect(deps.payments.items.size).toBe(0);
  });

  it('records the decision before waiting out the latency', async () => {
    const { deps, slept } = setup();
    await updateFaults(deps, { latencyMs: 800 });
    deps.sleep = async (ms) => {
      slept.push(ms);
      expect(deps.payments.items.has('o1')).toBe(true);
    };
    await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });
    expect(slept).toEqual([800]);
  });

  it('with an error rate, loses the answer (500) of a call whose draw falls under it, after recording the payment', async () => {
    // Prepare
    const { deps } = setup(0.1);
    await updateFaults(deps, { errorRate: 0.5 });
    const draws = [0.49, 0.5, 0.2];
    deps.faultDraw = () => draws.shift() ?? 0.99;

    // Act
    const lost = await codeOf(pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' }));
    const answered = await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });
    const readLost = await codeOf(findPayment(deps, 'o1'));

    // Assess: one payment, decided once; the second call got its answer.
    expect(lost).toBe('BANK_ERROR');
    expect(answered).toMatchObject({ status: 'APPROVED', calls: 2 });
    expect(readLost).toBe('BANK_ERROR');
    expect(deps.payments.items.size).toBe(1);
    expect(new BankError('BANK_ERROR', 'x').statusCode).toBe(500);
  });
});

describe('the bank.decision and bank.latency spans', () => {
  /** Name, attrs and error of each span `pay` records in one invocation. */
  async function spansOfPay(deps: BankDependencies, orderId = 'o1') {
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    await runInvocation(invocation, () => pay(deps, { orderId, amountCents: 500, currency: 'EUR' }).catch(() => undefined));
    return invocation.spans.map(({ name, attrs, error }) => ({ name, ...attrs, ...(error ? { error } : {}) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  it('says approved or declined, with no latency span when none was injected', async () => {
    expect(await spansOfPay(setup(0.1).deps)).toEqual([{ name: 'bank.decision', decision: 'approved', injected_latency_ms: 0 }]);
    expect(await spansOfPay(setup(0.9).deps)).toEqual([{ name: 'bank.decision', decision: 'declined', injected_latency_ms: 0 }]);
  });

  it('says down, and error when a simulated error replaced the answer, with the latency injected', async () => {
    const { deps } = setup(0.1);
    await updateFaults(deps, { down: true });
    expect(await spansOfPay(deps)).toEqual([{ name: 'bank.decision', decision: 'down', injected_latency_ms: 0, error: 'BANK_DOWN' }]);

    await updateFaults(deps, { down: false, latencyMs: 300, errorRate: 1 });
    expect(await spansOfPay(deps)).toEqual([
      { name: 'bank.decision', decision: 'error', injected_latency_ms: 300, error: 'BANK_ERROR' },
      { name: 'bank.latency', injected_latency_ms: 300 },
    ]);
  });
});

describe('fault settings', () => {
  it('start from the defaults and change only the fields given', async () => {
    const { deps } = setup();
    expect(await currentFaults(deps)).toEqual({ successRate: 0.5, latencyMs: 0, down: false, errorRate: 0 });
    await updateFaults(deps, { successRate: 1 });
    expect(await updateFaults(deps, { down: true, latencyMs: undefined })).toEqual({ successRate: 1, latencyMs: 0, down: true, errorRate: 0 });
  });

  it('go back to the defaults on reset, and say whether they are at the defaults', async () => {
    const { deps } = setup();
    const changed = await updateFaults(deps, { errorRate: 0.2 });
    expect(isAtDefaults(changed, deps.defaults)).toBe(false);
    expect(await resetFaults(deps)).toEqual(deps.defaults);
    expect(await currentFaults(deps)).toEqual(deps.defaults);
    expect(isAtDefaults(await currentFaults(deps), deps.defaults)).toBe(true);
    for (const patch of [{ successRate: 0.6 }, { latencyMs: 1 }, { down: true }, { errorRate: 0.01 }]) {
      expect(isAtDefaults({ ...deps.defaults, ...patch }, deps.defaults)).toBe(false);
    }
  });
});

describe('findPayment', () => {
  it('reads the payment of an order, or 404', async () => {
    const { deps } = setup();
    await pay(deps, { orderId: 'o1', amountCents: 500, currency: 'EUR' });
    expect(await findPayment(deps, 'o1')).toMatchObject({ orderId: 'o1', amountCents: 500, status: 'APPROVED', calls: 1 });
    expect(await codeOf(findPayment(deps, 'o2'))).toBe('PAYMENT_NOT_FOUND');
  });
});

describe('the random source', () => {
  it('is deterministic per order id with a seed, whatever the order of the calls', () => {
    const a = createRandomSource('seed');
    const b = createRandomSource('seed');
    expect(['x', 'y', 'z'].map(a)).toEqual(['x', 'y', 'z'].map(b));
    expect(a('y')).toBe(b('y'));
    expect(createRandomSource('other')('x')).not.toBe(a('x'));
  });

  it('approves about success_rate of the orders', () => {
    const draw = createRandomSource('seed');
    const approved = Array.from({ length: 4000 }, (_, i) => approves(draw(`order-${i}`), 0.5)).filter(Boolean).length;
    expect(approved / 4000).toBeGreaterThan(0.46);
    expect(approved / 4000).toBeLessThan(0.54);
    expect(approves(draw('any'), 1)).toBe(true);
    expect(approves(draw('any'), 0)).toBe(false);
  });

  it('draws from the OS without a seed', () => {
    const draw = createRandomSource(undefined);
    const draws = new Set(Array.from({ length: 50 }, () => draw('same')));
    expect(draws.size).toBeGreaterThan(40);
  });
});
