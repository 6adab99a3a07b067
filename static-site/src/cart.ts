import type { CartItem, Product } from './api-bodies';
import { toCents } from './money';

export interface CartLine {
  product: Product;
  quantity: number;
  lineCents: number;
}

const quantities = new Map<string, number>();
let submissionKey: string | null = null;
let unconfirmed: UnconfirmedOrder | null = null;
let lastOutcome: OrderOutcome | null = null;

// The cart, its pending Idempotency-Key, the order being verified and the last result are kept for the tab
// (sessionStorage), so a reload loses no work and cannot lose the key of an order that may have been charged.
// Nothing here is a credential; it is gone when the tab closes, and logging out removes it.
const STORAGE_KEY = 'shop.cart';

interface Stored {
  quantities: [string, number][];
  submissionKey: string | null;
  unconfirmed: UnconfirmedOrder | null;
  lastOutcome: OrderOutcome | null;
}

function save(): void {
  const stored: Stored = { quantities: [...quantities], submissionKey, unconfirmed, lastOutcome };
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // Storage full or refused: the page still works, it only forgets on reload.
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function restore(): void {
  let stored: unknown;
  try {
    stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return;
  }
  if (!isObject(stored)) return;
  if (Array.isArray(stored['quantities'])) {
    for (const entry of stored['quantities']) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && Number.isInteger(entry[1]) && entry[1] > 0) quantities.set(entry[0], entry[1]);
    }
  }
  if (typeof stored['submissionKey'] === 'string') submissionKey = stored['submissionKey'];
  const order = stored['unconfirmed'];
  if (isObject(order) && typeof order['idempotencyKey'] === 'string' && Array.isArray(order['items'])) unconfirmed = order as unknown as UnconfirmedOrder;
  const outcome = stored['lastOutcome'];
  if (isObject(outcome) && typeof outcome['kind'] === 'string' && isObject(outcome['order'])) lastOutcome = outcome as unknown as OrderOutcome;
}

restore();

/** What the site sent for an order whose outcome is not known yet, to follow it or resend it as it was. */
export interface UnconfirmedOrder {
  idempotencyKey: string;
  items: CartItem[];
  /** Known once the server answered with one (PAYMENT_PENDING); absent after a network error or a 409. */
  orderId?: string;
}

export function quantityOf(article: string): number {
  return quantities.get(article) ?? 0;
}

/** Ignored while an order is unconfirmed: an edited cart would be a second purchase, perhaps a second charge. */
export function setQuantity(article: string, quantity: number): void {
  if (unconfirmed || quantity === quantityOf(article)) return;
  if (quantity > 0) quantities.set(article, quantity);
  else quantities.delete(article);
  // A different cart is a different purchase: it must not reuse the previous submission's key.
  submissionKey = null;
  save();
}

export function clearCart(): void {
  if (unconfirmed) return;
  quantities.clear();
  submissionKey = null;
  save();
}

/** Forgets everything, unconfirmed order included (logout: the next user must not inherit it). */
export function resetCart(): void {
  unconfirmed = null;
  lastOutcome = null;
  quantities.clear();
  submissionKey = null;
  sessionStorage.removeItem(STORAGE_KEY);
}

export function cartLines(products: readonly Product[]): CartLine[] {
  return products
    .filter((product) => quantityOf(product.article) > 0)
    .map((product) => {
      const quantity = quantityOf(product.article);
      return { product, quantity, lineCents: toCents(product.unit_price) * quantity };
    });
}

export function totalCents(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.lineCents, 0);
}

/**
 * The Idempotency-Key of the current cart submission. It is kept until the order has a final answer, so a
 * resend of the same cart (after a timeout, a 503, a network failure) is the same order to the server and
 * cannot be charged twice.
 */
export function submissionIdempotencyKey(): string {
  if (submissionKey === null) {
    submissionKey = randomUuid();
    save();
  }
  return submissionKey;
}

/** True while a key is kept for the cart as it is (the next « Acheter » resends the same order). */
export function hasKeptSubmission(): boolean {
  return submissionKey !== null;
}

export function endSubmission(): void {
  submissionKey = null;
  save();
}

/** Locks the cart: the order's outcome is unknown (it may have been charged). */
export function markUnconfirmed(order: UnconfirmedOrder): void {
  unconfirmed = { ...order, items: order.items.map((item) => ({ ...item })) };
  save();
}

export function unconfirmedOrder(): UnconfirmedOrder | null {
  return unconfirmed;
}

/** The outcome is known (charged or not): the cart can be edited again. The key is dropped separately. */
export function unlockCart(): void {
  unconfirmed = null;
  save();
}

function randomUuid(): string {
  // crypto.randomUUID only exists in secure contexts (https or localhost); the fallback covers a LAN address.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `pending`: the outcome is not known yet (the order is being verified); every other kind is an answer. */
export type OutcomeKind = 'ok' | 'declined' | 'unavailable' | 'pending' | 'auth' | 'error';

/** An order as the result page shows it: as the server answered it, or as it was sent while there is no answer. */
export interface ShownOrder {
  /** Known once the server answered with one. */
  orderId?: string;
  lines: { article: string; quantity: number; lineCents: number }[];
  totalCents: number;
  currency: string;
}

export interface OrderOutcome {
  kind: OutcomeKind;
  httpStatus: number;
  /** The answer's fixed code (`BREAKER_OPEN`, `PAYMENT_PENDING`, …): what the page says is chosen from it. */
  code?: string;
  /** Seconds before a new try makes sense, as the API gave them. */
  retryAfter?: number;
  /** The FAILED order's reason, once the order was read back. */
  failureReason?: string;
  /** The server's message, shown (as text) only for a code this site does not know. */
  message?: string;
  order: ShownOrder;
}

export function setLastOutcome(outcome: OrderOutcome): void {
  lastOutcome = outcome;
  save();
}

export function getLastOutcome(): OrderOutcome | null {
  return lastOutcome;
}
