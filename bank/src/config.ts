import * as z from 'zod/mini';
import { intFromEnv, isLocalStage, numberFromEnv, readConfig } from '../../lib/config';
import { parameterSource } from '../../lib/parameters';
import { MIN_KEY_LENGTH } from './merchant-keys';
import type { BankFaults } from './model';

const keyRule = z
  .string()
  .check(z.minLength(MIN_KEY_LENGTH, `must be at least ${MIN_KEY_LENGTH} characters`), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'));
const parameterRule = z.string().check(z.regex(/^\/[\w./-]+$/, 'must be an SSM parameter name such as /shop-bank/prod/merchant-key'));

/** The bank's variables; defaults live here and nowhere else. */
export const bankEnvSchema = z.object({
  STAGE: z.string().check(z.minLength(1)),
  BANK_PAYMENTS_TABLE: z.string().check(z.minLength(1)),
  BANK_FAULTS_TABLE: z.string().check(z.minLength(1)),
  CORS_ORIGIN: z.optional(z.string()),
  // The merchant credential: the current key and, during a rotation, the next one.
  MERCHANT_KEY: z.optional(keyRule),
  MERCHANT_KEY_PARAMETER: z.optional(parameterRule),
  MERCHANT_KEY_NEXT: z.optional(keyRule),
  MERCHANT_KEY_NEXT_PARAMETER: z.optional(parameterRule),
  BANK_SUCCESS_RATE: numberFromEnv(0.5, 0, 1),
  BANK_RANDOM_SEED: z.optional(z.string()),
  BANK_FAULTS_CACHE_MS: intFromEnv(1000, 0, 60_000),
});

export function readBankConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(bankEnvSchema, env);
  const merchantKey = parameterSource(parsed.MERCHANT_KEY, parsed.MERCHANT_KEY_PARAMETER);
  if (merchantKey.from === 'none') throw new Error('MERCHANT_KEY environment variable is not set (nor MERCHANT_KEY_PARAMETER, the SSM parameter holding it)');
  const defaults: BankFaults = { successRate: parsed.BANK_SUCCESS_RATE, latencyMs: 0, down: false, errorRate: 0 };
  return {
    stage: parsed.STAGE,
    paymentsTable: parsed.BANK_PAYMENTS_TABLE,
    faultsTable: parsed.BANK_FAULTS_TABLE,
    corsOrigin: parsed.CORS_ORIGIN,
    merchantKeys: { current: merchantKey, next: parameterSource(parsed.MERCHANT_KEY_NEXT, parsed.MERCHANT_KEY_NEXT_PARAMETER) },
    /** Empty means unseeded: draws come from the OS. */
    randomSeed: parsed.BANK_RANDOM_SEED || undefined,
    defaults,
    /** How long a payment instance keeps the fault settings it read (0: read them on every call). */
    faultsCacheMs: parsed.BANK_FAULTS_CACHE_MS,
    /** The fault-injection routes exist on a developer's machine only. */
    faultControls: isLocalStage(parsed.STAGE),
  };
}

export type BankConfig = ReturnType<typeof readBankConfig>;
