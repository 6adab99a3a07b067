import * as z from 'zod/mini';
import { intFromEnv, isLocalStage, numberFromEnv, readConfig } from '../../lib/config';
import type { BankFaults } from './faults-repository';

export function readBankConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(
    z.object({
      STAGE: z.string().check(z.minLength(1)),
      BANK_PAYMENTS_TABLE: z.string().check(z.minLength(1)),
      BANK_FAULTS_TABLE: z.string().check(z.minLength(1)),
      CORS_ORIGIN: z.optional(z.string()),
      BANK_SUCCESS_RATE: numberFromEnv(0.5, 0, 1),
      BANK_RANDOM_SEED: z.optional(z.string()),
      BANK_FAULTS_CACHE_MS: intFromEnv(1000, 0, 60_000),
    }),
    env,
  );
  const defaults: BankFaults = { successRate: parsed.BANK_SUCCESS_RATE, latencyMs: 0, down: false, errorRate: 0 };
  return {
    stage: parsed.STAGE,
    paymentsTable: parsed.BANK_PAYMENTS_TABLE,
    faultsTable: parsed.BANK_FAULTS_TABLE,
    corsOrigin: parsed.CORS_ORIGIN,
    /** Empty means unseeded: draws come from the OS. */
    randomSeed: parsed.BANK_RANDOM_SEED || undefined,
    defaults,
    /** How long a payment instance keeps the fault settings it read (0: read them on every call). */
    faultsCacheMs: parsed.BANK_FAULTS_CACHE_MS,
    /** The fault-injection routes exist on a developer's machine only. */
    faultControls: isLocalStage(parsed.STAGE),
  };
}
