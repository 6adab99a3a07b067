import { httpErrorClass } from '../../lib/errors';

export type OrderErrorCode =
  | 'UNAUTHORIZED'
  | 'UNKNOWN_ARTICLE'
  | 'PRICE_MISMATCH'
  | 'QUANTITY_TOO_LARGE'
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'INVALID_CURSOR'
  | 'BANK_UNAVAILABLE'
  | 'BREAKER_OPEN';

const STATUS: Record<OrderErrorCode, number> = {
  UNAUTHORIZED: 401,
  UNKNOWN_ARTICLE: 422,
  PRICE_MISMATCH: 422,
  QUANTITY_TOO_LARGE: 422,
  INVALID_IDEMPOTENCY_KEY: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INVALID_CURSOR: 400,
  BANK_UNAVAILABLE: 503,
  BREAKER_OPEN: 503,
};

export class OrderError extends httpErrorClass('OrderError', STATUS) {}

export const MESSAGES = {
  unauthorized: 'Token invalide.',
  paid: 'Paiement accepté, commande enregistrée.',
  declined: 'Paiement refusé par la banque.',
  unavailable: 'Service indisponible, veuillez réessayer plus tard.',
  unknownArticle: (article: string) => `Article inconnu : « ${article} ».`,
  priceMismatch: (article: string) => `Le prix indiqué pour « ${article} » ne correspond pas au catalogue.`,
  quantityTooLarge: (article: string, max: number) => `Quantité totale de « ${article} » trop grande (maximum ${max}).`,
  invalidIdempotencyKey: 'En-tête Idempotency-Key invalide : 1 à 255 caractères ASCII imprimables.',
  idempotencyKeyReused: 'Cette clé Idempotency-Key a déjà servi pour une autre commande.',
  idempotencyInProgress: 'Une commande avec cette clé Idempotency-Key est déjà en cours de traitement.',
  invalidCursor: 'Curseur de pagination invalide.',
} as const;

/** The contract's 503 body: `{status: "error_service", message}` plus the code (and the order when one was written). */
export function serviceUnavailable(code: 'BANK_UNAVAILABLE' | 'BREAKER_OPEN', retryAfterSeconds: number, orderId?: string): OrderError {
  return new OrderError(
    code,
    MESSAGES.unavailable,
    { status: 'error_service', ...(orderId ? { order_id: orderId } : {}) },
    { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  );
}
