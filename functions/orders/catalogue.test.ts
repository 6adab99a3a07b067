import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CATALOGUE, cartFingerprint, findProduct, priceCart, productsView } from './catalogue';
import { OrderError } from './errors';

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof OrderError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('the catalogue', () => {
  it('lists the original project’s seven articles with their prices in euros', () => {
    expect(productsView().map((p) => [p.article, p.unit_price])).toEqual([
      ['Fraises (barquette de 250g)', 2.5],
      ['Haricots (kg)', 1.8],
      ['Laine', 4],
      ['Pêches (kg)', 3],
      ['Pastèques', 4],
      ['Paquet de pâtes', 1.2],
      ['Cookies', 2],
    ]);
    expect(new Set(productsView().map((p) => p.currency))).toEqual(new Set(['EUR']));
  });

  it.each([
    ['Fraises', 'fraises'],
    ['fraises (barquette de 250g)', 'fraises'],
    ['  PÊCHES  (kg) ', 'peches'],
    ['Peches', 'peches'],
    ['pasteques', 'pasteques'],
    ['Pâtes', 'pates'],
    ['haricots', 'haricots'],
  ])('finds %j as %s', (name, id) => {
    expect(findProduct(name)?.id).toBe(id);
  });

  it.each(['Fraise', 'Bananes', '', 'fraises; DROP TABLE'])('knows no article named %j', (name) => {
    expect(findProduct(name)).toBeUndefined();
  });
});

describe('priceCart', () => {
  it('prices the original project’s curl cart from the catalogue, in cents', () => {
    expect(priceCart([{ article: 'Fraises', quantity: 2, total_price: 5.0 }])).toEqual({
      lines: [{ productId: 'fraises', article: 'Fraises (barquette de 250g)', quantity: 2, unitPriceCents: 250, lineTotalCents: 500 }],
      totalCents: 500,
    });
  });

  it('merges lines naming the same article, in the order of first appearance', () => {
    const cart = priceCart([
      { article: 'Laine', quantity: 1 },
      { article: 'Fraises', quantity: 2 },
      { article: 'fraises (barquette de 250g)', quantity: 3, total_price: 7.5 },
    ]);
    expect(cart.lines.map((line) => [line.productId, line.quantity])).toEqual([
      ['laine', 1],
      ['fraises', 5],
    ]);
    expect(cart.totalCents).toBe(400 + 1250);
  });

  it('compares total_price to the cent and never charges it', () => {
    expect(priceCart([{ article: 'Haricots', quantity: 3, total_price: 5.4 }]).totalCents).toBe(540);
    expect(codeOf(() => priceCart([{ article: 'Haricots', quantity: 3, total_price: 5.39 }]))).toBe('PRICE_MISMATCH');
    expect(codeOf(() => priceCart([{ article: 'Fraises', quantity: 2, total_price: 0.01 }]))).toBe('PRICE_MISMATCH');
    expect(codeOf(() => priceCart([{ article: 'Fraises', quantity: 2, total_price: 0 }]))).toBe('PRICE_MISMATCH');
  });

  it('refuses an unknown article and a merged quantity above 99 (422)', () => {
    expect(codeOf(() => priceCart([{ article: 'Caviar', quantity: 1 }]))).toBe('UNKNOWN_ARTICLE');
    expect(
      codeOf(() =>
        priceCart([
          { article: 'Laine', quantity: 60 },
          { article: 'laine', quantity: 40 },
        ]),
      ),
    ).toBe('QUANTITY_TOO_LARGE');
    expect(
      priceCart([
        { article: 'Laine', quantity: 60 },
        { article: 'laine', quantity: 39 },
      ]).lines[0]?.quantity,
    ).toBe(99);
  });

  it('always totals the sum of catalogue price × quantity, whatever the cart', () => {
    const line = fc.record({ index: fc.integer({ min: 0, max: CATALOGUE.length - 1 }), quantity: fc.integer({ min: 1, max: 14 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 7 }), (lines) => {
        const items = lines.map(({ index, quantity }) => ({ article: CATALOGUE[index]!.article, quantity }));
        const expected = lines.reduce((sum, { index, quantity }) => sum + CATALOGUE[index]!.unitPriceCents * quantity, 0);
        const cart = priceCart(items);
        expect(cart.totalCents).toBe(expected);
        expect(Number.isInteger(cart.totalCents)).toBe(true);
        expect(cartFingerprint(priceCart([...items].reverse()))).toBe(cartFingerprint(cart));
      }),
    );
  });
});
