import type { Clock } from '../../lib/clock';
import { AuthError, MESSAGES } from './errors';
import type { AccessTokenClaims } from './model';
import type { RefreshTokensRepository, TokenService } from './ports';

/**
 * An access token is good only while its session is open: the refresh-token family its `sid`
 * names exists, is not revoked (logout, refresh-token reuse), has not reached its absolute
 * expiry, and belongs to the token's user. Anything else is `TOKEN_REVOKED`.
 */
export type SessionFamilies = Pick<RefreshTokensRepository, 'findFamily'>;

export interface SessionCheckOptions {
  /**
   * `false` on the authorizer's hot path: an eventually consistent read costs half and a stale
   * answer lasts about a second, well inside the cache bound. A family not found that way is
   * read again consistently, so a token used just after login is never refused for lag.
   */
  consistent: boolean;
}

export async function checkSession(families: SessionFamilies, clock: Clock, claims: AccessTokenClaims, options: SessionCheckOptions): Promise<void> {
  const family =
    (await families.findFamily(claims.sessionId, { consistent: options.consistent })) ??
    (options.consistent ? undefined : await families.findFamily(claims.sessionId, { consistent: true }));
  const open = family !== undefined && !family.revoked && family.username === claims.username && family.expiresAt * 1000 > clock.now();
  if (!open) throw new AuthError('TOKEN_REVOKED', MESSAGES.tokenRevoked);
}

/** `verifyAccessToken` that also refuses a token whose session has ended. */
export function verifyingSessions(
  tokens: Pick<TokenService, 'verifyAccessToken'>,
  families: SessionFamilies,
  clock: Clock,
  options: SessionCheckOptions,
): Pick<TokenService, 'verifyAccessToken'> {
  return {
    async verifyAccessToken(token) {
      const claims = await tokens.verifyAccessToken(token);
      await checkSession(families, clock, claims, options);
      return claims;
    },
  };
}
