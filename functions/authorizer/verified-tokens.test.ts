import { describe, expect, it } from '@jest/globals';
import { AuthError } from '../auth/errors';
import type { AccessTokenClaims } from '../auth/tokens';
import { rememberVerifiedTokens } from './verified-tokens';

const T0 = Date.UTC(2026, 5, 1, 12);

/** A verifier that knows tokens "a", "b", "c" (expiring 600 s after T0) and counts its calls. */
function setup(maxEntries?: number) {
  let now = T0;
  const calls: string[] = [];
  const inner = {
    async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
      calls.push(token);
      if (!['a', 'b', 'c'].includes(token)) throw new AuthError('TOKEN_INVALID', 'invalid');
      const expiresAt = T0 / 1000 + 600;
      if (now >= expiresAt * 1000) throw new AuthError('TOKEN_EXPIRED', 'expired');
      return { username: `user-${token}`, issuedAt: T0 / 1000, expiresAt };
    },
  };
  const cached = rememberVerifiedTokens(inner, { clock: { now: () => now }, ...(maxEntries ? { maxEntries } : {}) });
  return { cached, calls, advance: (ms: number) => (now += ms) };
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'none', (error: unknown) => (error instanceof AuthError ? error.code : String(error)));

describe('rememberVerifiedTokens', () => {
  it('verifies a token once and answers its next uses from memory', async () => {
    const { cached, calls } = setup();

    const first = await cached.verifyAccessToken('a');
    const again = await cached.verifyAccessToken('a');

    expect(again).toEqual(first);
    expect(first.username).toBe('user-a');
    expect(calls).toEqual(['a']);
  });

  it('refuses a remembered token once it has expired', async () => {
    const { cached, calls, advance } = setup();
    await cached.verifyAccessToken('a');

    advance(599_999);
    expect(await codeOf(cached.verifyAccessToken('a'))).toBe('none');
    advance(1);

    expect(await codeOf(cached.verifyAccessToken('a'))).toBe('TOKEN_EXPIRED');
    expect(calls).toEqual(['a', 'a']);
  });

  it('does not remember refusals', async () => {
    const { cached, calls } = setup();

    expect(await codeOf(cached.verifyAccessToken('forged'))).toBe('TOKEN_INVALID');
    expect(await codeOf(cached.verifyAccessToken('forged'))).toBe('TOKEN_INVALID');

    expect(calls).toEqual(['forged', 'forged']);
  });

  it('holds at most maxEntries tokens, dropping the oldest first', async () => {
    const { cached, calls } = setup(2);

    for (const token of ['a', 'b', 'c', 'c', 'b', 'a']) await cached.verifyAccessToken(token);

    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
