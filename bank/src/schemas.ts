import * as z from 'zod/mini';

/** The bank's own limits: far above any cart the shop can build (7 articles × 99 × 4.00 €). */
const MAX_AMOUNT_CENTS = 10_000_000;
/** Below the functions' 10 s timeout, so a slow answer stays an answer. */
const MAX_LATENCY_MS = 5000;

export const orderIdRule = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'order_id : 1 à 64 caractères parmi lettres, chiffres, « _ » et « - ».'));

/** `amount` is in cents (an integer), like every amount inside the shop. */
export const payBody = z.strictObject({
  order_id: orderIdRule,
  amount: z.number().check(z.int(), z.gte(1), z.lte(MAX_AMOUNT_CENTS)),
  /** ISO 4217, e.g. `EUR`. */
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'currency : code ISO 4217 de trois lettres majuscules (EUR).')),
});

/**
 * A probability, kept to 6 decimal places: DynamoDB stores no number below 1e-130, so a
 * subnormal double such as 5e-324 would otherwise fail the write.
 */
const rate = z.pipe(
  z.number().check(z.gte(0), z.lte(1)),
  z.transform((value: number) => Math.round(value * 1e6) / 1e6),
);

/** Every field is optional: the ones given replace the current values. */
export const faultsBody = z.strictObject({
  success_rate: z.optional(rate),
  latency_ms: z.optional(z.number().check(z.int(), z.gte(0), z.lte(MAX_LATENCY_MS))),
  down: z.optional(z.boolean()),
  error_rate: z.optional(rate),
});
