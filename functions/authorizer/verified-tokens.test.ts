import { describe, expect, it } from '@jest/globals';
import { AuthError } from '../auth/errors';
import type { AccessTokenClaims, RefreshFamily } from '../auth/model';
import { rememberSessionFamilies, rememberVerifiedTokens } from './verified-tokens';

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
      return { username: `user-${token}`, sessionId: `session-${token}`, issuedAt: T0 / 1000, expiresAt };
    },
  };
  const cached = rememberVerifiedTokens(inner, { clock: { now: () => now }, ...(maxEntries ? { maxEntries } : {}) });
  return { cached, calls, advance: (ms: number) => (now += ms) };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'none',
    (error: unknown) => (error instanceof AuthError ? error.code : String(error)),
  );

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

describe('rememberSessionFamilies', () => {
  function families(ttlMs: number, maxEntries?: number) {
    let now = T0;
    const reads: string[] = [];
    const stored = new Map<string, RefreshFamily>();
    const store = {
      async findFamily(familyId: string, options: { consistent?: boolean } = {}) {
        reads.push(`${familyId}${options.consistent ? ' (consistent)' : ''}`);
        return stored.get(familyId);
      },
    };
    const cached = rememberSessionFamilies(store, { ttlMs, clock: { now: () => now }, ...(maxEntries ? { maxEntries } : {}) });
    const open = (familyId: string) => stored.set(familyId, { familyId, username: 'alice', revoked: false, expiresAt: T0 / 1000 + 3600 });
    return { cached, reads, stored, open, advance: (ms: number) => (now += ms) };
  }

  it('answers a session from memory for less than ttlMs, then reads it again and sees its revocation', async () => {
    const { cached, reads, stored, open, advance } = families(10_000);
    open('s1');

    await cached.findFamily('s1', { consistent: false });
    stored.set('s1', { ...stored.get('s1')!, revoked: true });
    advance(9_999);
    const remembered = await cached.findFamily('s1', { consistent: false });
    advance(1);
    const reread = await cached.findFamily('s1', { consistent: false });

    expect([remembered?.revoked, reread?.revoked]).toEqual([false, true]);
    expect(reads).toEqual(['s1', 's1']);
  });

  it('always reads consistent lookups, and never remembers a session not found', async () => {
    const { cached, reads, open } = families(10_000);

    expect(await cached.findFamily('s1', { consistent: false })).toBeUndefined();
    open('s1');
    await cached.findFamily('s1', { consistent: true });
    await cached.findFamily('s1', { consistent: false });

    expect(reads).toEqual(['s1', 's1 (consistent)']);
  });

  it('with ttlMs 0, reads every time', async () => {
    const { cached, reads, open } = families(0);
    open('s1');

    for (let i = 0; i < 3; i++) await cached.findFamily('s1', { consistent: false });

    expect(reads).toHaveLength(3);
  });

  it('holds at most maxEntries sessions, dropping the oldest first', async () => {
    const { cached, reads, open } = families(10_000, 2);
    for (const id of ['a', 'b', 'c']) open(id);

    for (const id of ['a', 'b', 'c', 'c', 'b', 'a']) await cached.findFamily(id, { consistent: false });

    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
