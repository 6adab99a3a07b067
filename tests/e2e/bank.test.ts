import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { approves, createRandomSource } from '../../bank/src/random';
import { bank, testStack, uniqueName } from '../support/env';
import { NORMAL_FAULTS, setFaults } from './shop';

const { env } = testStack();
const draw = createRandomSource(env.BANK_RANDOM_SEED);

beforeAll(() => setFaults(NORMAL_FAULTS));
afterAll(() => setFaults(NORMAL_FAULTS));

describe('the simulated bank', () => {
  it('answers as its seeded random source predicts, and a repeated order id with its first answer', async () => {
    for (let i = 0; i < 6; i++) {
      const orderId = uniqueName('seeded');
      const expected = approves(draw(orderId), 0.5) ? 200 : 402;
      const first = await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' });
      expect(first.status).toBe(expected);
      expect(first.body).toMatchObject({ order_id: orderId, amount: 500, currency: 'EUR', status: expected === 200 ? 'approved' : 'declined', calls: 1 });
      await setFaults({ success_rate: expected === 200 ? 0 : 1 });
      const again = await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' });
      await setFaults({ success_rate: 0.5 });
      expect(again.status).toBe(expected);
      expect(again.body).toMatchObject({ created_at: first.body.created_at, calls: 2 });
    }
  });

  it('refuses the same order id with another amount or currency (409), and reads payments back', async () => {
    const orderId = uniqueName('amount');
    await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' });
    expect((await bank('POST', '/pay', { order_id: orderId, amount: 501, currency: 'EUR' })).body).toMatchObject({ code: 'AMOUNT_MISMATCH' });
    expect((await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'USD' })).body).toMatchObject({ code: 'AMOUNT_MISMATCH' });
    const read = await bank('GET', `/payments/${orderId}`);
    expect(read).toMatchObject({ status: 200, body: { order_id: orderId, amount: 500, currency: 'EUR', calls: 3 } });
    expect((await bank('GET', `/payments/${uniqueName('none')}`)).body).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
  });

  it.each([
    ['a zero amount', { order_id: 'x1', amount: 0, currency: 'EUR' }],
    ['a fractional amount', { order_id: 'x1', amount: 1.5, currency: 'EUR' }],
    ['an amount as a string', { order_id: 'x1', amount: '5', currency: 'EUR' }],
    ['an order id with a slash', { order_id: 'a/b', amount: 5, currency: 'EUR' }],
    ['a 65-character order id', { order_id: 'o'.repeat(65), amount: 5, currency: 'EUR' }],
    ['no order id', { amount: 5, currency: 'EUR' }],
    ['no currency', { order_id: 'x1', amount: 5 }],
    ['a currency in lower case', { order_id: 'x1', amount: 5, currency: 'eur' }],
    ['a currency that is not three letters', { order_id: 'x1', amount: 5, currency: 'EURO' }],
    ['an extra field', { order_id: 'x1', amount: 5, currency: 'EUR', note: 'x' }],
  ])('refuses %s with 400', async (_, body) => {
    expect((await bank('POST', '/pay', body)).status).toBe(400);
  });

  it('changes only the fault settings given, says they are not the defaults, and refuses bad ones', async () => {
    const changed = { ...NORMAL_FAULTS, latency_ms: 10, at_defaults: false, defaults: NORMAL_FAULTS };
    expect((await bank('PUT', '/faults', { latency_ms: 10 })).body).toEqual(changed);
    expect((await bank('GET', '/faults')).body).toEqual(changed);
    for (const bad of [{ success_rate: 1.5 }, { success_rate: -0.1 }, { latency_ms: 5001 }, { latency_ms: 1.5 }, { down: 'yes' }, { other: 1 }]) {
      expect((await bank('PUT', '/faults', bad)).status).toBe(400);
    }
    await setFaults(NORMAL_FAULTS);
  });

  it('goes back to its defaults on DELETE /faults, which needs no key and answers the site origin only', async () => {
    await setFaults({ down: true, error_rate: 0.3 });
    const site = env.SITE_ORIGIN ?? 'http://localhost:5000';
    const reset = await bank('DELETE', '/faults', undefined, { merchantKey: null, headers: { origin: site } });
    expect(reset).toMatchObject({ status: 200, body: { ...NORMAL_FAULTS, at_defaults: true, defaults: NORMAL_FAULTS } });
    expect(reset.headers.get('access-control-allow-origin')).toBe(site);
    expect((await bank('GET', '/faults')).body).toMatchObject({ ...NORMAL_FAULTS, at_defaults: true });
  });

  it('answers 503 and records nothing while down; the controls keep working', async () => {
    await setFaults({ down: true });
    try {
      const orderId = uniqueName('down');
      const response = await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' });
      expect(response).toMatchObject({ status: 503, body: { code: 'BANK_DOWN' } });
      expect(response.headers.get('retry-after')).toBe('1');
      expect((await bank('GET', `/payments/${orderId}`)).status).toBe(503);
      expect((await bank('GET', '/faults')).body.down).toBe(true);
    } finally {
      await setFaults({ down: false });
    }
  });

  it('delays its answers by latency_ms', async () => {
    await setFaults({ latency_ms: 300 });
    try {
      const started = performance.now();
      await bank('POST', '/pay', { order_id: uniqueName('slow'), amount: 500, currency: 'EUR' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await setFaults({ latency_ms: 0 });
    }
  });
});
