import type { OrderSummary, Product } from './api';
import { toCents } from './money';

export interface CartLine {
  product: Product;
  quantity: number;
  lineCents: number;
}

const quantities = new Map<string, number>();
let submissionKey: string | null = null;

export function quantityOf(article: string): number {
  return quantities.get(article) ?? 0;
}

export function setQuantity(article: string, quantity: number): void {
  if (quantity > 0) quantities.set(article, quantity);
  else quantities.delete(article);
  // A different cart is a different purchase: it must not reuse the previous submission's key.
  submissionKey = null;
}

export function clearCart(): void {
  quantities.clear();
  submissionKey = null;
}

export function cartLines(products: readonly Product[]): CartLine[] {
  return products
    .filter((product) => quantityOf(product.article) > 0)
    .map((product) => {
      const quantity = quantityOf(product.article);
      return { product, quantity, lineCents: toCents(product.unitPrice) * quantity };
    });
}

export function totalCents(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.lineCents, 0);
}

/**
 * The Idempotency-Key of the current cart submission. It is kept until the server gives an answer, so a
 * resend of the same cart after a network failure cannot be charged twice; any answer ends the submission.
 */
export function submissionIdempotencyKey(): string {
  submissionKey ??= randomUuid();
  return submissionKey;
}

export function endSubmission(): void {
  submissionKey = null;
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

export type OutcomeKind = 'ok' | 'declined' | 'unavailable' | 'auth' | 'error';

export interface OrderOutcome {
  kind: OutcomeKind;
  httpStatus: number;
  /** The server's message, shown as sent (text only). */
  message?: string;
  order: OrderSummary;
  totalCents: number;
  currency: string;
}

let lastOutcome: OrderOutcome | null = null;

export function setLastOutcome(outcome: OrderOutcome): void {
  lastOutcome = outcome;
}

export function getLastOutcome(): OrderOutcome | null {
  return lastOutcome;
}
