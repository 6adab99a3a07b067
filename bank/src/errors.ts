import { httpErrorClass } from '../../lib/errors';

export type BankErrorCode = 'BANK_DOWN' | 'BANK_ERROR' | 'PAYMENT_NOT_FOUND' | 'AMOUNT_MISMATCH' | 'MERCHANT_UNAUTHORIZED';

const STATUS: Record<BankErrorCode, number> = {
  BANK_DOWN: 503,
  BANK_ERROR: 500,
  PAYMENT_NOT_FOUND: 404,
  AMOUNT_MISMATCH: 409,
  MERCHANT_UNAUTHORIZED: 401,
};

export class BankError extends httpErrorClass('BankError', STATUS) {}

export const MESSAGES = {
  approved: 'Paiement accepté.',
  declined: 'Paiement refusé par la banque.',
  down: 'Banque indisponible (panne simulée).',
  error: 'Erreur de la banque (panne simulée) : la réponse est perdue.',
  notFound: 'Aucun paiement pour cette commande.',
  amountMismatch: 'Cette commande a déjà été présentée avec un autre montant ou une autre devise.',
  merchantUnauthorized: 'Identifiant marchand absent ou invalide.',
} as const;
