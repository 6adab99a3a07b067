import * as z from 'zod/mini';
import { intFromEnv, readConfig } from '../../lib/config';

/**
 * How long a container trusts a session's "still open" answer. It bounds how long a logged-out
 * session's access tokens still pass here (docs/auth.md); 0 reads the session on every call.
 */
export const SESSION_CHECK_CACHE_DEFAULT_SECONDS = 10;

/** The authorizer's own variables (it also reads the token settings: `tokenEnvSchema`). */
export const authorizerEnvSchema = z.object({
  REFRESH_TOKENS_TABLE: z.string().check(z.minLength(1)),
  SESSION_CHECK_CACHE_SECONDS: intFromEnv(SESSION_CHECK_CACHE_DEFAULT_SECONDS, 0, 60),
});

export function readAuthorizerConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(authorizerEnvSchema, env);
  return { refreshTokensTable: parsed.REFRESH_TOKENS_TABLE, sessionCheckCacheSeconds: parsed.SESSION_CHECK_CACHE_SECONDS };
}
