import * as z from 'zod/mini';
import { flagFromEnv, intFromEnv, isLocalStage, readConfig } from '../../lib/config';

/** A rotated refresh token is answered once more within this many seconds (docs/auth.md). */
const REFRESH_REUSE_INTERVAL_DEFAULT_SECONDS = 10;

/** The auth function's variables; defaults live here and nowhere else. */
export const authEnvSchema = z.object({
  STAGE: z.string().check(z.minLength(1)),
  USERS_TABLE: z.string().check(z.minLength(1)),
  REFRESH_TOKENS_TABLE: z.string().check(z.minLength(1)),
  LOGIN_ATTEMPTS_TABLE: z.string().check(z.minLength(1)),
  CORS_ORIGIN: z.optional(z.string()),
  BCRYPT_COST: intFromEnv(10, 10, 15),
  REFRESH_TOKEN_TTL_SECONDS: intFromEnv(7 * 24 * 3600, 60, 90 * 24 * 3600),
  REFRESH_REUSE_INTERVAL_SECONDS: intFromEnv(REFRESH_REUSE_INTERVAL_DEFAULT_SECONDS, 0, 60),
  LOGIN_MAX_FAILURES: intFromEnv(5, 1, 100),
  LOGIN_LOCK_SECONDS: intFromEnv(30, 1, 86_400),
  LOGIN_MAX_LOCK_SECONDS: intFromEnv(3600, 1, 7 * 86_400),
  DEMO_ACCOUNT: flagFromEnv(true),
});

export function readAuthConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(authEnvSchema, env);
  return {
    stage: parsed.STAGE,
    usersTable: parsed.USERS_TABLE,
    refreshTokensTable: parsed.REFRESH_TOKENS_TABLE,
    loginAttemptsTable: parsed.LOGIN_ATTEMPTS_TABLE,
    corsOrigin: parsed.CORS_ORIGIN,
    bcryptCost: parsed.BCRYPT_COST,
    /** The original README's `test` / `1234` account: local stages only, never deployed. */
    demoAccount: isLocalStage(parsed.STAGE) && parsed.DEMO_ACCOUNT,
    policy: {
      refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS,
      refreshReuseIntervalSeconds: parsed.REFRESH_REUSE_INTERVAL_SECONDS,
      maxLoginFailures: parsed.LOGIN_MAX_FAILURES,
      lockSeconds: parsed.LOGIN_LOCK_SECONDS,
      maxLockSeconds: parsed.LOGIN_MAX_LOCK_SECONDS,
    },
  };
}

export type AuthConfig = ReturnType<typeof readAuthConfig>;
