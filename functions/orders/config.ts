import * as z from 'zod/mini';
import { flagFromEnv, intFromEnv, isLocalStage, readConfig } from '../../lib/config';
import { parameterSource } from '../../lib/parameters';

const parameterRule = z.string().check(z.regex(/^\/[\w./-]+$/, 'must be an SSM parameter name such as /shop-bank/prod/url'));

/** Longer than a function's 10 s timeout plus one bank call: see `reconcile-orders.ts`. */
const RECONCILE_MARGIN_MS = 20_000;
/** Beyond the bank timeout, how long a duplicate waits (409) for the first request's answer. */
const IN_PROGRESS_MARGIN_MS = 2_000;

/** The orders function's and the reconciler's variables; defaults live here and nowhere else. */
export const ordersEnvSchema = z.object({
  STAGE: z.string().check(z.minLength(1)),
  ORDERS_TABLE: z.string().check(z.minLength(1)),
  // The bank's address and the shop's merchant key: from the environment locally, from SSM when deployed.
  BANK_URL: z.optional(z.url({ protocol: /^https?$/ })),
  BANK_URL_PARAMETER: z.optional(parameterRule),
  BANK_MERCHANT_KEY: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'))),
  BANK_MERCHANT_KEY_PARAMETER: z.optional(parameterRule),
  CORS_ORIGIN: z.optional(z.string()),
  BANK_TIMEOUT_MS: intFromEnv(1500, 50, 9000),
  BREAKER_FAILURES: intFromEnv(3, 1, 100),
  BREAKER_HALF_OPEN_AFTER_MS: intFromEnv(10_000, 100, 3_600_000),
  IDEMPOTENCY_TTL_SECONDS: intFromEnv(24 * 3600, 60, 7 * 24 * 3600),
  RECONCILE_AFTER_MS: intFromEnv(60_000, 30_000, 24 * 3600_000),
  RECONCILE_BATCH_SIZE: intFromEnv(100, 1, 1000),
  FAULT_CRASH_AFTER_BANK_ANSWER: flagFromEnv(false),
});

export function readOrdersConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(ordersEnvSchema, env);
  const bankUrl = parameterSource(parsed.BANK_URL, parsed.BANK_URL_PARAMETER);
  if (bankUrl.from === 'none') throw new Error('BANK_URL environment variable is not set (nor BANK_URL_PARAMETER, the SSM parameter holding it)');
  const merchantKey = parameterSource(parsed.BANK_MERCHANT_KEY, parsed.BANK_MERCHANT_KEY_PARAMETER);
  if (merchantKey.from === 'none') {
    throw new Error('BANK_MERCHANT_KEY environment variable is not set (nor BANK_MERCHANT_KEY_PARAMETER, the SSM parameter holding it)');
  }
  return {
    stage: parsed.STAGE,
    ordersTable: parsed.ORDERS_TABLE,
    bank: { url: bankUrl, merchantKey },
    corsOrigin: parsed.CORS_ORIGIN,
    breaker: {
      timeoutMs: parsed.BANK_TIMEOUT_MS,
      failures: parsed.BREAKER_FAILURES,
      halfOpenAfterMs: parsed.BREAKER_HALF_OPEN_AFTER_MS,
    },
    policy: {
      idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
      // The first request's bank call, plus time to write its answer.
      inProgressMs: parsed.BANK_TIMEOUT_MS + IN_PROGRESS_MARGIN_MS,
      payWindowMs: parsed.RECONCILE_AFTER_MS - RECONCILE_MARGIN_MS,
      reconcileAfterMs: parsed.RECONCILE_AFTER_MS,
    },
    reconcileBatchSize: parsed.RECONCILE_BATCH_SIZE,
    /** Test-only fault switch, honoured on local stages only: see `test-faults.ts`. */
    crashAfterBankAnswer: isLocalStage(parsed.STAGE) && parsed.FAULT_CRASH_AFTER_BANK_ANSWER,
  };
}

export type OrdersConfig = ReturnType<typeof readOrdersConfig>;
