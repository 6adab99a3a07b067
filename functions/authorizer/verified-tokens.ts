import type { AccessTokenClaims, Clock, TokenService } from '../auth/tokens';

/**
 * Remembers, per container, the tokens it has verified, until each one expires — what API
 * Gateway's authorizer result cache does for a deployed API (serverless-offline has none).
 * A customer's next request skips the HMAC and claim checks (≈ 0.1 ms → ≈ 1 µs); a token is
 * never accepted after its `exp`. Refusals are not kept. The oldest entry leaves first once
 * `maxEntries` tokens are held (≈ 350 bytes each).
 */
export function rememberVerifiedTokens(
  tokens: Pick<TokenService, 'verifyAccessToken'>,
  { maxEntries = 1000, clock }: { maxEntries?: number; clock: Clock },
): Pick<TokenService, 'verifyAccessToken'> {
  const verified = new Map<string, AccessTokenClaims>();
  return {
    async verifyAccessToken(token) {
      const known = verified.get(token);
      if (known && clock.now() < known.expiresAt * 1000) return known;
      verified.delete(token);
      // An expired token goes through verification again, which refuses it with its reason.
      const claims = await tokens.verifyAccessToken(token);
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
      return claims;
    },
  };
}
