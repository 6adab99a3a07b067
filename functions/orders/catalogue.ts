import { MESSAGES, OrderError } from './errors';

/** The original project's articles and prices. Prices are integer cents; only the server's price is ever charged. */
export interface Product {
  id: string;
  article: string;
  unitPriceCents: number;
  /** Other names a client may send: the original project's short names (its curl sends "Fraises"). */
  aliases: readonly string[];
}

export const CATALOGUE: readonly Product[] = [
  { id: 'fraises', article: 'Fraises (barquette de 250g)', unitPriceCents: 250, aliases: ['Fraises'] },
  { id: 'haricots', article: 'Haricots (kg)', unitPriceCents: 180, aliases: ['Haricots'] },
  { id: 'laine', article: 'Laine', unitPriceCents: 400, aliases: [] },
  { id: 'peches', article: 'Pêches (kg)', unitPriceCents: 300, aliases: ['Pêches'] },
  { id: 'pasteques', article: 'Pastèques', unitPriceCents: 400, aliases: [] },
  { id: 'pates', article: 'Paquet de pâtes', unitPriceCents: 120, aliases: ['Pâtes'] },
  { id: 'cookies', article: 'Cookies', unitPriceCents: 200, aliases: [] },
];

export const CURRENCY = 'EUR';
export const MAX_QUANTITY = 99;

/** Case, accents and spacing do not matter: "peches", "Pêches" and "PÊCHES (kg)" name one article. */
const nameKey = (name: string): string => name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const byName = new Map<string, Product>();
for (const product of CATALOGUE) {
  for (const name of [product.article, product.id, ...product.aliases]) byName.set(nameKey(name), product);
}

export function findProduct(name: string): Product | undefined {
  return byName.get(nameKey(name));
}

export interface CartItem {
  article: string;
  quantity: number;
  /** The client's idea of the line total in euros; checked, never charged. */
  total_price?: number | undefined;
}

export interface OrderLine {
  productId: string;
  article: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface PricedCart {
  lines: OrderLine[];
  totalCents: number;
}

/**
 * Prices a cart from the catalogue. Lines naming the same article (under any of its names)
 * are merged into one, in the order of first appearance, and the merged quantity must stay
 * within 1–99. A `total_price` is compared with the catalogue line by line, to the cent.
 */
export function priceCart(items: readonly CartItem[]): PricedCart {
  const lines = new Map<string, OrderLine>();
  for (const item of items) {
    const product = findProduct(item.article);
    if (!product) throw new OrderError('UNKNOWN_ARTICLE', MESSAGES.unknownArticle(item.article), { article: item.article });
    const expectedCents = product.unitPriceCents * item.quantity;
    if (item.total_price !== undefined && Math.round(item.total_price * 100) !== expectedCents) {
      throw new OrderError('PRICE_MISMATCH', MESSAGES.priceMismatch(product.article), {
        article: product.article,
        total_price: item.total_price,
        expected_total_price: expectedCents / 100,
      });
    }
    const line = lines.get(product.id);
    const quantity = (line?.quantity ?? 0) + item.quantity;
    if (quantity > MAX_QUANTITY) {
      throw new OrderError('QUANTITY_TOO_LARGE', MESSAGES.quantityTooLarge(product.article, MAX_QUANTITY), { article: product.article });
    }
    lines.set(product.id, {
      productId: product.id,
      article: product.article,
      quantity,
      unitPriceCents: product.unitPriceCents,
      lineTotalCents: product.unitPriceCents * quantity,
    });
  }
  const merged = [...lines.values()];
  return { lines: merged, totalCents: merged.reduce((sum, line) => sum + line.lineTotalCents, 0) };
}

/** What makes two carts "the same request" for idempotency: articles and quantities, in any order. */
export function cartFingerprint(cart: PricedCart): string {
  return cart.lines
    .map((line) => `${line.productId}x${line.quantity}`)
    .sort()
    .join(',');
}

export const toEuros = (cents: number): number => cents / 100;

export const productsView = () =>
  CATALOGUE.map((product) => ({ id: product.id, article: product.article, unit_price: toEuros(product.unitPriceCents), currency: CURRENCY }));
