import { beforeEach, describe, expect, it } from '@jest/globals';
import { type AuthDependencies, DEMO_ACCOUNT, ensureDemoAccount, hashRefreshToken, login, logout, refresh, register, validate } from './auth-service';
import { AuthError } from './errors';
import { inMemoryLoginAttempts, inMemoryRefreshTokens, inMemoryUsers } from './in-memory-repositories';
import { createPasswordHasher } from './passwords';
import { createTokenService } from './tokens';

const HOUR = 3600 * 1000;

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
    policy: { refreshTokenTtlSeconds: 7 * 24 * 3600, maxLoginFailures: 5, lockSeconds: 30, maxLockSeconds: 3600 },
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

  it('rotate on every refresh; reusing a rotated token revokes the whole family', async () => {
    const first = await login(deps, { username: 'alice', password: 'correct horse' });
    const second = await refresh(deps, first.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await validate(deps, second.access_token)).username).toBe('alice');
    expect(await errorCode(refresh(deps, first.refresh_token))).toBe('REFRESH_TOKEN_REUSED');
    // The thief's replay also ended the legitimate holder's session.
    expect(await errorCode(refresh(deps, second.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
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

  it('are revoked by logout; logout of an unknown token is not an error', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    await logout(deps, pair.refresh_token);
    expect(await errorCode(refresh(deps, pair.refresh_token))).toBe('REFRESH_TOKEN_INVALID');
    await expect(logout(deps, 'never-issued')).resolves.toBeUndefined();
  });

  it('are never accepted as access tokens, nor the reverse', async () => {
    const pair = await login(deps, { username: 'alice', password: 'correct horse' });
    expect(await errorCode(validate(deps, pair.refresh_token))).toBe('TOKEN_INVALID');
    expect(await errorCode(refresh(deps, pair.access_token))).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('demo account', () => {
  it('is created once with the seed password, and never overwritten', async () => {
    const { deps } = setup();
    await ensureDemoAccount(deps);
    const first = await deps.users.find(DEMO_ACCOUNT.username);
    await ensureDemoAccount(deps);
    expect((await deps.users.find(DEMO_ACCOUNT.username))?.passwordHash).toBe(first?.passwordHash);
    expect((await login(deps, { username: 'test', password: '1234' })).token_type).toBe('Bearer');
  });
});
