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
  | 'INVALID_ORDER_ID'
  | 'ORDER_NOT_FOUND'
  | 'BANK_UNAVAILABLE'
  | 'PAYMENT_PENDING'
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
  INVALID_ORDER_ID: 400,
  ORDER_NOT_FOUND: 404,
  BANK_UNAVAILABLE: 503,
  PAYMENT_PENDING: 503,
  BREAKER_OPEN: 503,
};

export class OrderError extends httpErrorClass('OrderError', STATUS) {}

export const MESSAGES = {
  unauthorized: 'Token invalide.',
  paid: 'Paiement accepté, commande enregistrée.',
  declined: 'Paiement refusé par la banque.',
  unavailable: 'Service indisponible, veuillez réessayer plus tard.',
  pending: 'Paiement en cours de vérification : ne repassez pas commande.',
  orderNotFound: 'Commande introuvable.',
  invalidOrderId: 'Identifiant de commande invalide.',
  unknownArticle: (article: string) => `Article inconnu : « ${article} ».`,
  priceMismatch: (article: string) => `Le prix indiqué pour « ${article} » ne correspond pas au catalogue.`,
  quantityTooLarge: (article: string, max: number) => `Quantité totale de « ${article} » trop grande (maximum ${max}).`,
  invalidIdempotencyKey: 'En-tête Idempotency-Key invalide : 1 à 255 caractères ASCII imprimables.',
  idempotencyKeyReused: 'Cette clé Idempotency-Key a déjà servi pour une autre commande.',
  idempotencyInProgress: 'Une commande avec cette clé Idempotency-Key est déjà en cours de traitement.',
  invalidCursor: 'Curseur de pagination invalide.',
} as const;

/**
 * The contract's 503 body: `{status: "error_service", code, message}`, and the order when one was written.
 * The code says which failure it was:
 * - `BREAKER_OPEN`: the bank was not called, nothing was written (no order);
 * - `BANK_UNAVAILABLE`: the bank was down or refused before charging; the order is FAILED, nothing charged;
 * - `PAYMENT_PENDING`: the bank's answer was lost; the order is PENDING and may be charged — it is being
 *   verified (`GET /api/orders/{order_id}`), and ordering again would risk a second charge.
 */
export function serviceUnavailable(
  code: 'BANK_UNAVAILABLE' | 'PAYMENT_PENDING' | 'BREAKER_OPEN',
  retryAfterSeconds: number,
  order?: { orderId: string; status: string; failureReason?: string | undefined },
): OrderError {
  return new OrderError(
    code,
    code === 'PAYMENT_PENDING' ? MESSAGES.pending : MESSAGES.unavailable,
    {
      status: 'error_service',
      ...(order ? { order_id: order.orderId, order_status: order.status } : {}),
      ...(order?.failureReason ? { failure_reason: order.failureReason } : {}),
      retry_after: Math.max(1, retryAfterSeconds),
    },
    { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  );
}
