import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { RequestError } from '../../lib/errors';
import { AuthError, MESSAGES } from './errors';
import { type RefreshTokenRecord, type TokenPair, USERNAME_PATTERN } from './model';
import { PASSWORD_MAX_BYTES } from './passwords';
import type { AuthDependencies, ReissueResult, RotationResult } from './ports';
import { checkSession } from './sessions';

const ATTEMPTS_MEMORY_SECONDS = 24 * 3600;

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function register(deps: AuthDependencies, input: { username: string; password: string }): Promise<void> {
  const passwordHash = await deps.passwords.hash(input.password);
  const created = await deps.users.create({
    username: input.username,
    passwordHash,
    createdAt: new Date(deps.clock.now()).toISOString(),
  });
  if (!created) throw new AuthError('USERNAME_TAKEN', MESSAGES.usernameTaken);
}

/**
 * Creates the original project's demo account if it is missing. It bypasses the password rules on
 * purpose (the original project's curl logs in as `test` / `1234`), so callers allow it on local stages only.
 */
export async function ensureDemoAccount(deps: AuthDependencies): Promise<void> {
  if (await deps.users.find(DEMO_ACCOUNT.username)) return;
  await deps.users.create({
    username: DEMO_ACCOUNT.username,
    passwordHash: await deps.passwords.hash(DEMO_ACCOUNT.password),
    createdAt: new Date(deps.clock.now()).toISOString(),
  });
}

export const DEMO_ACCOUNT = { username: 'test', password: '1234' } as const;

export async function login(deps: AuthDependencies, input: { username: string; password: string }): Promise<TokenPair> {
  if (Buffer.byteLength(input.password, 'utf8') > PASSWORD_MAX_BYTES) {
    throw new AuthError('PASSWORD_TOO_LONG', `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_BYTES} octets (limite de bcrypt).`);
  }
  const now = deps.clock.now();
  const nameIsValid = USERNAME_PATTERN.test(input.username);
  const [start, user] = await Promise.all([
    deps.loginAttempts.begin(input.username, now, Math.floor(now / 1000) + ATTEMPTS_MEMORY_SECONDS),
    nameIsValid ? deps.users.find(input.username) : Promise.resolve(undefined),
  ]);

  if (start.locked) throw tooManyAttempts(start.lockedUntil - now);
  const lockName = async (): Promise<number> => {
    const lockMs = Math.min(deps.policy.lockSeconds * 2 ** Math.min(start.locks, 20), deps.policy.maxLockSeconds) * 1000;
    await deps.loginAttempts.lock(input.username, now, now + lockMs);
    return lockMs;
  };
  // Every attempt is counted before any password is checked: of guesses sent together, those
  // past the budget are refused unread, and lock the name (so that one in flight that never
  // finishes cannot leave it refused for good).
  const allowed = start.allowed ?? deps.policy.maxLoginFailures;
  if (start.attempt > allowed) throw tooManyAttempts(await lockName());

  const passwordMatches = await deps.passwords.verify(input.password, user?.passwordHash);
  if (!user || !passwordMatches) {
    if (start.attempt >= allowed) await lockName();
    throw new AuthError('INVALID_CREDENTIALS', MESSAGES.invalidCredentials);
  }

  await deps.loginAttempts.clear(input.username);
  return startSession(deps, user.username);
}

/** The signature and claims, then the session, read consistently and never cached: a logout shows at once. */
export async function validate(deps: AuthDependencies, token: string): Promise<{ username: string; expiresAt: number }> {
  const claims = await deps.tokens.verifyAccessToken(token);
  await checkSession(deps.refreshTokens, deps.clock, claims, { consistent: true });
  return { username: claims.username, expiresAt: claims.expiresAt };
}

/** Reads of a token changed under us (a concurrent refresh of it) before giving up with a 503. */
const REFRESH_ATTEMPTS = 3;

/**
 * Rotates a refresh token. A rotated one presented again means it leaked and revokes the
 * session, except once within the reuse interval: a client whose answer was lost, or two tabs
 * refreshing together, get a second successor in the same session. Every decision is a
 * conditional write, so concurrent refreshes of one token cannot both take the same path.
 */
export async function refresh(deps: AuthDependencies, refreshToken: string): Promise<TokenPair> {
  const tokenHash = hashRefreshToken(refreshToken);
  for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
    // A write that met another one in flight: give it a moment to land before reading again.
    if (attempt > 1) await pause(25 * (attempt - 1));
    const now = deps.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const current = await deps.refreshTokens.findToken(tokenHash);
    if (!current || current.expiresAt <= nowSeconds) throw refreshInvalid();

    const token = newRefreshToken();
    const next: RefreshTokenRecord = {
      tokenHash: hashRefreshToken(token),
      familyId: current.familyId,
      username: current.username,
      state: 'active',
      expiresAt: current.expiresAt,
    };
    const result = current.state === 'active' ? await deps.refreshTokens.rotate(current, next, isoTime(now)) : await reissueWithinGrace(deps, current, next, now);
    if (result === 'rotated' || result === 'reissued') {
      const access = await deps.tokens.issueAccessToken(current.username, current.familyId);
      return tokenPair(access, token, current.expiresAt - nowSeconds);
    }
    if (result === 'family-revoked') throw refreshInvalid();
    if (result === 'reused') {
      // A rotated token presented again, outside the grace: it leaked, end the whole session.
      await deps.refreshTokens.revokeFamily(current.familyId, isoTime(now));
      throw new AuthError('REFRESH_TOKEN_REUSED', MESSAGES.refreshReused);
    }
    // 'already-rotated' / 'refused': another refresh of this token changed it meanwhile.
  }
  throw new RequestError('STORAGE_UNAVAILABLE', 'Base de données indisponible, veuillez réessayer plus tard.', {}, { 'Retry-After': '1' });
}

async function reissueWithinGrace(
  deps: AuthDependencies,
  rotated: RefreshTokenRecord,
  next: RefreshTokenRecord,
  now: number,
): Promise<ReissueResult | RotationResult | 'reused'> {
  const interval = deps.policy.refreshReuseIntervalSeconds;
  if (interval <= 0 || rotated.graceUsed || rotated.rotatedAt === undefined) return 'reused';
  const rotatedSince = isoTime(now - interval * 1000);
  if (rotated.rotatedAt < rotatedSince) return 'reused';
  return deps.refreshTokens.reissue(rotated, next, { rotatedSince, reissuedAt: isoTime(now) });
}

export async function logout(deps: AuthDependencies, refreshToken: string): Promise<void> {
  const current = await deps.refreshTokens.findToken(hashRefreshToken(refreshToken));
  if (current) await deps.refreshTokens.revokeFamily(current.familyId, isoTime(deps.clock.now()));
}

async function startSession(deps: AuthDependencies, username: string): Promise<TokenPair> {
  const now = deps.clock.now();
  const token = newRefreshToken();
  const expiresAt = Math.floor(now / 1000) + deps.policy.refreshTokenTtlSeconds;
  const familyId = randomUUID();
  const [access] = await Promise.all([
    deps.tokens.issueAccessToken(username, familyId),
    deps.refreshTokens.createFamily({ tokenHash: hashRefreshToken(token), familyId, username, state: 'active', expiresAt }, isoTime(now)),
  ]);
  return tokenPair(access, token, deps.policy.refreshTokenTtlSeconds);
}

/** Fixed-width UTC ISO 8601: stored times compare as strings in time order. */
const isoTime = (ms: number): string => new Date(ms).toISOString();

/** 256 random bits; only its hash is stored. */
const newRefreshToken = (): string => randomBytes(32).toString('base64url');

function tokenPair(access: { token: string; expiresIn: number }, refreshToken: string, refreshExpiresIn: number): TokenPair {
  return {
    access_token: access.token,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    refresh_expires_in: refreshExpiresIn,
  };
}

function tooManyAttempts(remainingMs: number): AuthError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  return new AuthError('TOO_MANY_ATTEMPTS', MESSAGES.tooManyAttempts(seconds), { retry_after: seconds }, { 'Retry-After': String(seconds) });
}

const refreshInvalid = () => new AuthError('REFRESH_TOKEN_INVALID', MESSAGES.refreshInvalid);
