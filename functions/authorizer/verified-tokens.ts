import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../lib/clock';
import type { AccessTokenClaims, RefreshFamily } from '../auth/model';
import type { TokenService } from '../auth/ports';
import type { SessionFamilies } from '../auth/sessions';

/**
 * Remembers, per container, the tokens it has verified, until each one expires — the part of
 * API Gateway's authorizer result cache (serverless-offline has none) that can never go stale:
 * a signature and its claims do not change. A customer's next request skips the HMAC and claim
 * checks (≈ 0.1 ms → ≈ 1 µs); a token is never accepted after its `exp`. Refusals are not
 * kept. The oldest entry leaves first once `maxEntries` tokens are held (≈ 350 bytes each).
 * Whether the token's session is still open is asked separately (`rememberSessionFamilies`).
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

/** Whether an authorizer call's session check was answered from this container's memory (`miss`: a read went to the table). */
export type SessionCache = 'hit' | 'miss';

/** Per call, not per container: serverless-offline runs concurrent authorizer calls in one process, over one cache. */
const sessionReads = new AsyncLocalStorage<{ sessionCache?: SessionCache }>();

/** Runs `work`, noting in `note` how the session reads it made were answered (left unset when it made none). */
export const noteSessionCache = <T>(note: { sessionCache?: SessionCache }, work: () => T): T => sessionReads.run(note, work);

/**
 * Remembers each session's family item for at most `ttlMs`: a session ended elsewhere (logout,
 * reuse revocation) is seen here within that bound, and a busy session costs one read per bound
 * per container instead of one per request. Eventually consistent reads are answered from
 * memory; consistent ones always go to the table (and refresh the memory). A family not found is
 * not remembered. The oldest entry leaves first once `maxEntries` sessions are held.
 */
export function rememberSessionFamilies(
  families: SessionFamilies,
  { ttlMs, maxEntries = 1000, clock }: { ttlMs: number; maxEntries?: number; clock: Clock },
): SessionFamilies {
  const remembered = new Map<string, { family: RefreshFamily; readAt: number }>();
  return {
    async findFamily(familyId, options = {}) {
      const known = remembered.get(familyId);
      const note = sessionReads.getStore();
      if (known && options.consistent !== true && clock.now() - known.readAt < ttlMs) {
        if (note) note.sessionCache ??= 'hit';
        return known.family;
      }
      if (note) note.sessionCache = 'miss';
      remembered.delete(familyId);
      const readAt = clock.now();
      const family = await families.findFamily(familyId, options);
      if (family && ttlMs > 0) {
        if (remembered.size >= maxEntries) remembered.delete(remembered.keys().next().value as string);
        remembered.set(familyId, { family, readAt });
      }
      return family;
    },
  };
}
