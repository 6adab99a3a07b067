import { locale } from './i18n';

// Prices arrive in euros as numbers (2.5); all sums are done in integer cents to avoid 0.1 + 0.2 drift.
export function toCents(euros: number): number {
  return Math.round(euros * 100);
}

export function formatCents(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(cents / 100);
}
