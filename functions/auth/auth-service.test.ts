import { beforeEach, describe, expect, it } from '@jest/globals';
import { DEMO_ACCOUNT, ensureDemoAccount, hashRefreshToken, login, logout, refresh, register, validate } from './auth-service';
import { AuthError } from './errors';
import { inMemoryLoginAttempts, inMemoryRefreshTokens, inMemoryUsers } from './in-memory';
import { createPasswordHasher } from './passwords';
import type { AuthDependencies } from './ports';
import { createTokenService } from './tokens';

const HOUR = 3600 * 1000;

/** The `sid` claim of an access token (read without verification: the tests check it elsewhere). */
const sessionOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()).sid;

function setup() {
  let now = Date.UTC(2026, 5, 1);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const deps = {
    users: inMemoryUsers(),
    refreshTokens: inMemoryRefreshTokens(),
    loginAttempts: inMemoryLoginAttempts(),
    // Cost 4 keeps unit tests fast; the deployed cost is configured (≥ 10).
    passwords: createPasswordHasher(4),
    tokens: createTokenService({ secret: 'x'.repeat(32), issuer: 'i', audience: 'a', accessTokenTtlSeconds: 3600 }, clock),
    clock,
    policy: { refreshTokenTtlSeconds: 7 * 24 * 3600, refreshReuseIntervalSeconds: 10, maxLoginFailures: 5, lockSeconds: 30, maxLockSeconds: 3600 },
  } satisfies AuthDependencies;
  return { deps, clock };
}

/** The AuthError a call fails with; fails the test if it succeeds. */
async function caught(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return error instanceof AuthError ? error.code : `unexpected: ${String(error)}`;
  }
}

describe('register', () => {
  it('stores a bcrypt hash, never the password, and refuses the same name in another case', async () => {
    const { deps } = setup();
    await register(deps, { username: 'Alice', password: 'correct horse' });
    const stored = await deps.users.find('alice');
    expect(stored?.username).toBe('Alice');
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(await errorCode(register(deps, { username: 'ALICE', password: 'another one' }))).toBe('USERNAME_TAKEN');
  });
});

describe('login', () => {
  let deps: ReturnType<typeof setup>['deps'];
  let clock: ReturnType<typeof setup>['clock'];
  beforeEach(async () => {
    ({ deps, clock } = setup());
    await register(deps, { username: 'alice', password: 'correct horse' });
  });

  it('returns a bearer token pair for the right password, whatever the case of the name', async () => {
    const pair = await login(deps, { username: 'ALICE', password: 'correct horse' });
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_expires_in: 7 * 24 * 3600 });
    expect((await validate(deps, pair.access_token)).username).toBe('alice');
  });

  it('gives the same error for an unknown user and a wrong password', async () => {
    const unknown = await caught(login(deps, { username: 'nobody', password: 'whatever1' }));
    const wrong = await caught(login(deps, { username: 'alice', password: 'wrong horse' }));
    expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([wrong.statusCode, wrong.code, wrong.message]);
    expect(wrong.message).toBe('Identifiants incorrects.');
  });

  it('checks the password exactly as typed', async () => {
    expect(await errorCode(login(deps, { username: 'alice', password: 'Correct horse' }))).toBe('INVALID_CREDENTIALS');
    expect(await errorCode(login(deps, { username: 'alice', password: 'correct horse ' }))).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a password over 72 bytes instead of letting bcrypt truncate it', async () => {
    const { deps: fresh } = setup();
    const base = 'p'.repeat(72);
    await fresh.users.create({ username: 'bob', passwordHash: await fresh.passwords.hash(base), createdAt: '' });
    expect(await errorCode(login(fresh, { username: 'bob', password: `${base}extra` }))).toBe('PASSWORD_TOO_LONG');
  });

  it('locks an account after 5 consecutive failures, refusing even the right password, with a growing delay', async () => {
    for (let i = 0; i < 5; i++) expect(await errorCode(login(deps, { username: 'alice', password: 'bad guess' }))).toBe('INVALID_CREDENTIALS');
    const locked = await caught(login(deps, { username: 'alice', password: 'correct horse' }));
    expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['Retry-After']).toBe('30');
    // Another account is unaffected.
    await register(deps, { username: 'bob', password: 'bob password' });
    expect((await login(deps, { username: 'bob', password: 'bob password' })).token_type).toBe('Bearer');
    // After the lock, one more failure locks for twice as long.
    clock.advance(31_000);
    expect(await errorCode(login(deps, { username: 'alice', password: 'bad guess' }))).toBe('INVALID_CREDENTIALS');
    const longer = await caught(login(deps, { username: 'alice', password: 'correct horse' }));
    expect(longer.headers['Retry-After']).toBe('60');
  });

  it('resets the failure count after a success', async () => {
    for (let i = 0; i < 4; i++) await login(deps, { username: 'alice', password: 'bad guess' }).catch(() => undefined);
    await login(deps, { username: 'alice', password: 'correct horse' });
    expect(deps.loginAttempts.items.size).toBe(0);
    for (let i = 0; i < 4; i++) await login(deps, { username: 'alice', password: 'bad guess' }).catch(() => undefined);
    expect((await login(deps, { username: 'alice', password: 'correct horse' })).token_type).toBe('Bearer');
  });

  it('of guesses sent together, checks at most the allowed number and refuses the rest unread', async () => {
    // Act
    const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => errorCode(login(deps, { username: 'alice', password: `guess ${i}` }))));

    // Assess
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((code) => code === 'TOO_MANY_ATTEMPTS')).toHaveLength(7);
    expect(await errorCode(login(deps, { username: 'alice', password: 'correct horse' }))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('never leaves a name refused for good when counted attempts never finished', async () => {
    // Prepare: five attempts were counted, then their function instances died.
    for (let i = 0; i < 5; i++) await deps.loginAttempts.begin('alice', clock.now(), 0);

    // Act
    const refused = await caught(login(deps, { username: 'alice', password: 'correct horse' }));
    clock.advance(31_000);

    // Assess: refused unread and locked for the first lock's length, then open again.
    expect(refused.headers['Retry-After']).toBe('30');
    expect((await login(deps, { username: 'alice', password: 'correct horse' })).token_type).toBe('Bearer');
  });

  it('throttles unknown names too, so a lock does not reveal whether an account exists', async () => {
    for (let i = 0; i < 5; i++) await login(deps, { username: 'ghost', password: 'guess' }).catch(() => undefined);
    expect(await errorCode(login(deps, { username: 'ghost', password: 'guess' }))).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('refresh tokens', () => {
  let deps: ReturnType<typeof setup>['deps'];
  let clock: ReturnType<typeof setup>['clock'];
  beforeEach(async () => {
    ({ deps, clock } = setup());
    await register(deps, { username: 'alice', password: 'correct horse' });
  });

  it('are opaque, at least 128 random bits, and stored only as a hash', async () => {
    const { refresh_token } = await login(deps, { username: 'alice', password: 'correct horse' });
    expect(Buffer.from(refresh_token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(deps.refreshTokens.tokens.has(refresh_token)).toBe(false);
    expect(deps.refreshTokens.tokens.has(hashRefreshToken(refresh_token))).toBe(true);
  });

  it('rotate on every refresh; reusing a rotated token after the reuse interval revokes the whole family', async () => {
    // Prepare
    const first = await login(deps, { username: 'alice', password: 'correct horse' });
    const second = await refresh(deps, first.refresh_token);
    clock.advance(10_001);

    // Act
    const replay = await errorCode(refresh(deps, first.refresh_token));

    // Assess
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(replay).toBe('REFRESH_TOKEN_REUSED');
    // The thief's replay also ended the legitimate holder's session, and its access token.
    expect(await errorCode(refresh(deps, second.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
    expect(await errorCode(validate(deps, second.access_token))).toBe('TOKEN_REVOKED');
  });

  it('answer a rotated token once more within the reuse interval (a lost answer), in the same session', async () => {
    // Prepare
    const first = await login(deps, { username: 'alice', password: 'correct horse' });
    const lost = await refresh(deps, first.refresh_token);
    clock.advance(10_000);

    // Act
    const retried = await refresh(deps, first.refresh_token);

    // Assess: a working successor; the lost one still works too (it may not have been lost).
    expect(retried.refresh_token).not.toBe(lost.refresh_token);
    expect((await validate(deps, retried.access_token)).username).toBe('alice');
    expect(sessionOf(retried.access_token)).toBe(sessionOf(first.access_token));
    expect((await refresh(deps, retried.refresh_token)).token_type).toBe('Bearer');
    expect((await refresh(deps, lost.refresh_token)).token_type).toBe('Bearer');
  });

  it('answer a rotated token only once within the interval: the second replay revokes the family', async () => {
    const first = await login(deps, { username: 'alice', password: 'correct horse' });
    await refresh(deps, first.refresh_token);
    const retried = await refresh(deps, first.refresh_token);

    expect(await errorCode(refresh(deps, first.refresh_token))).toBe('REFRESH_TOKEN_REUSED');
    expect(await errorCode(refresh(deps, retried.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
    expect(await errorCode(validate(deps, first.access_token))).toBe('TOKEN_REVOKED');
  });

  it('with a reuse interval of 0, revoke the family on the first replay', async () => {
    const strict = { ...deps, policy: { ...deps.policy, refreshReuseIntervalSeconds: 0 } };
    const first = await login(strict, { username: 'alice', password: 'correct horse' });
    await refresh(strict, first.refresh_token);

    expect(await errorCode(refresh(strict, first.refresh_token))).toBe('REFRESH_TOKEN_REUSED');
  });

  it('of two refreshes of one token at the same time, both succeed and the session stays open', async () => {
    // Prepare
    const first = await login(deps, { username: 'alice', password: 'correct horse' });

    // Act
    const [a, b] = await Promise.all([refresh(deps, first.refresh_token), refresh(deps, first.refresh_token)]);

    // Assess
    expect(a.refresh_token).not.toBe(b.refresh_token);
    for (const pair of [a, b]) {
      expect((await validate(deps, pair.access_token)).username).toBe('alice');
      expect((await refresh(deps, pair.refresh_token)).token_type).toBe('Bearer');
    }
  });

  it('of three refreshes of one token at the same time, the third is a reuse and ends the session', async () => {
    const first = await login(deps, { username: 'alice', password: 'correct horse' });

    const codes = await Promise.all([1, 2, 3].map(() => errorCode(refresh(deps, first.refresh_token))));

    expect(codes.sort()).toEqual(['REFRESH_TOKEN_REUSED', 'none', 'none']);
    expect(await errorCode(validate(deps, first.access_token))).toBe('TOKEN_REVOKED');
  });

  it('expire 7 days after login, however often they were rotated', async () => {
    let pair = await login(deps, { username: 'alice', password: 'correct horse' });
    for (let day = 0; day < 6; day++) {
      clock.advance(24 * HOUR);
      pair = await refresh(deps, pair.refresh_token);
    }
    clock.advance(24 * HOUR);
    expect(await errorCode(refresh(deps, pair.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
  });

  it('are revoked by logout, with every access token of the session; logout of an unknown token is not an error', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    const other = await login(deps, { username: 'alice', password: 'correct horse' });
    const refreshed = await refresh(deps, pair.refresh_token);
    await logout(deps, refreshed.refresh_token);
    expect(await errorCode(refresh(deps, refreshed.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
    expect(await errorCode(validate(deps, pair.access_token))).toBe('TOKEN_REVOKED');
    expect(await errorCode(validate(deps, refreshed.access_token))).toBe('TOKEN_REVOKED');
    // Another login of the same user is another session.
    expect((await validate(deps, other.access_token)).username).toBe('alice');
    await expect(logout(deps, 'never-issued')).resolves.toBeUndefined();
  });

  it('are never accepted as access tokens, nor the reverse', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    expect(await errorCode(validate(deps, pair.refresh_token))).toBe('TOKEN_INVALID');
    expect(await errorCode(refresh(deps, pair.access_token))).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('access tokens and their session', () => {
  let deps: ReturnType<typeof setup>['deps'];
  let clock: ReturnType<typeof setup>['clock'];
  beforeEach(async () => {
    ({ deps, clock } = setup());
    await register(deps, { username: 'alice', password: 'correct horse' });
  });

  it('carry the session (the refresh-token family) as sid', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    const familyId = [...deps.refreshTokens.families.keys()][0];
    expect(sessionOf(pair.access_token)).toBe(familyId);
  });

  it('are refused once the session has passed its absolute expiry, or for another user', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    const familyId = sessionOf(pair.access_token);
    const family = deps.refreshTokens.families.get(familyId);
    if (!family) throw new Error('no family stored');

    deps.refreshTokens.families.set(familyId, { ...family, username: 'mallory' });
    expect(await errorCode(validate(deps, pair.access_token))).toBe('TOKEN_REVOKED');
    deps.refreshTokens.families.set(familyId, { ...family, expiresAt: Math.floor(clock.now() / 1000) });
    expect(await errorCode(validate(deps, pair.access_token))).toBe('TOKEN_REVOKED');
    deps.refreshTokens.families.delete(familyId);
    expect(await errorCode(validate(deps, pair.access_token))).toBe('TOKEN_REVOKED');
  });
});

describe('demo account', () => {
  it('is created once with the original project’s password, and never overwritten', async () => {
    const { deps } = setup();
    await ensureDemoAccount(deps);
    const first = await deps.users.find(DEMO_ACCOUNT.username);
    await ensureDemoAccount(deps);
    expect((await deps.users.find(DEMO_ACCOUNT.username))?.passwordHash).toBe(first?.passwordHash);
    expect((await login(deps, { username: 'test', password: '1234' })).token_type).toBe('Bearer');
  });
});
