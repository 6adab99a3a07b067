import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { api } from '../support/env';
import { newShopper, NORMAL_FAULTS, setFaults, type Shopper } from './shop';

/** No input may produce a 5xx: arbitrary bodies against the orders and bank routes get a 2xx/4xx. */
let shopper: Shopper;
beforeAll(async () => {
  await setFaults(NORMAL_FAULTS);
  shopper = await newShopper('fuzz');
});
afterAll(() => setFaults(NORMAL_FAULTS));

const ARTICLES = ['Fraises', 'Laine', 'cookies', 'Pêches (kg)', 'PASTÈQUES', 'Caviar', '', ' ', '\u00e9', '__proto__'];
const cartLike = fc.record(
  {
    items: fc.array(
      fc.record(
        {
          article: fc.oneof(fc.constantFrom(...ARTICLES), fc.string({ maxLength: 120 })),
          quantity: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double(), fc.string({ maxLength: 3 }), fc.constant(null)),
          total_price: fc.oneof(fc.double({ min: -10, max: 1e7 }), fc.integer({ min: 0, max: 1000 }).map((cents) => cents / 100), fc.string({ maxLength: 5 })),
        },
        { requiredKeys: ['article'] },
      ),
      { maxLength: 55 },
    ),
  },
  { requiredKeys: [] },
);

describe('arbitrary input never produces a 5xx', () => {
  it('POST /api/orders with cart-like and arbitrary JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(cartLike, fc.jsonValue({ maxDepth: 4 })), fc.option(fc.string({ maxLength: 300 })), async (body, key) => {
        const headers: Record<string, string> = { ...shopper.auth };
        // Header values cannot carry every character; those that cannot be sent are not input we can receive.
        if (key !== null && /^[\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
        const response = await api('POST', '/api/orders', JSON.stringify(body), { ...headers, 'content-type': 'application/json' });
        expect(response.status).toBeLessThan(500);
        expect(typeof response.body?.message === 'string' || response.status === 201).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('GET /api/orders with arbitrary limit and cursor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 8 }), fc.string({ maxLength: 700 }), async (limit, cursor) => {
        const query = new URLSearchParams({ limit, cursor }).toString();
        expect((await api('GET', `/api/orders?${query}`, undefined, shopper.auth)).status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('the bank’s routes with arbitrary bodies and ids', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 80 }), async (body, id) => {
        expect((await api('POST', '/bank/pay', JSON.stringify(body), { 'content-type': 'application/json' })).status).toBeLessThan(500);
        expect((await api('PUT', '/bank/faults', JSON.stringify(body), { 'content-type': 'application/json' })).status).toBeLessThan(500);
        expect((await api('GET', `/bank/payments/${encodeURIComponent(id) || 'x'}`)).status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
    await setFaults(NORMAL_FAULTS);
  }, 60_000);
});
