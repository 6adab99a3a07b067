import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuthError, MESSAGES } from './errors';
import type { LoginAttemptsRepository } from './login-attempts-repository';
import { PASSWORD_MAX_BYTES, type PasswordHasher } from './passwords';
import type { RefreshTokenRecord, RefreshTokensRepository } from './refresh-tokens-repository';
import type { Clock, TokenService } from './tokens';
import type { UsersRepository } from './users-repository';

export interface AuthPolicy {
  refreshTokenTtlSeconds: number;
  /** Consecutive failures before an account is locked. */
  maxLoginFailures: number;
  /** First lock length; each further failure doubles it, up to `maxLockSeconds`. */
  lockSeconds: number;
  maxLockSeconds: number;
}

export interface AuthDependencies {
  users: UsersRepository;
  refreshTokens: RefreshTokensRepository;
  loginAttempts: LoginAttemptsRepository;
  passwords: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  policy: AuthPolicy;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_expires_in: number;
}

const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
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
 * Creates the seed's demo account if it is missing. It bypasses the password rules on
 * purpose (the seed's curl logs in as `test` / `1234`), so callers allow it on local stages only.
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

export async function validate(deps: AuthDependencies, token: string): Promise<{ username: string; expiresAt: number }> {
  const claims = await deps.tokens.verifyAccessToken(token);
  return { username: claims.username, expiresAt: claims.expiresAt };
}

export async function refresh(deps: AuthDependencies, refreshToken: string): Promise<TokenPair> {
  const nowSeconds = Math.floor(deps.clock.now() / 1000);
  const current = await deps.refreshTokens.findToken(hashRefreshToken(refreshToken));
  if (!current || current.expiresAt <= nowSeconds) throw refreshInvalid();

  if (current.state === 'rotated') {
    // A rotated token presented again means it leaked: end the whole session.
    await deps.refreshTokens.revokeFamily(current.familyId, new Date(deps.clock.now()).toISOString());
    throw new AuthError('REFRESH_TOKEN_REUSED', MESSAGES.refreshReused);
  }

  const token = newRefreshToken();
  const next: RefreshTokenRecord = { ...current, tokenHash: hashRefreshToken(token), state: 'active' };
  const result = await deps.refreshTokens.rotate(current, next, new Date(deps.clock.now()).toISOString());
  if (result === 'family-revoked') throw refreshInvalid();
  if (result === 'already-rotated') {
    // Another refresh of the same token won the race: treated as reuse, like a replay.
    await deps.refreshTokens.revokeFamily(current.familyId, new Date(deps.clock.now()).toISOString());
    throw new AuthError('REFRESH_TOKEN_REUSED', MESSAGES.refreshReused);
  }
  const access = await deps.tokens.issueAccessToken(current.username);
  return tokenPair(access, token, current.expiresAt - nowSeconds);
}

export async function logout(deps: AuthDependencies, refreshToken: string): Promise<void> {
  const current = await deps.refreshTokens.findToken(hashRefreshToken(refreshToken));
  if (current) await deps.refreshTokens.revokeFamily(current.familyId, new Date(deps.clock.now()).toISOString());
}

async function startSession(deps: AuthDependencies, username: string): Promise<TokenPair> {
  const now = deps.clock.now();
  const token = newRefreshToken();
  const expiresAt = Math.floor(now / 1000) + deps.policy.refreshTokenTtlSeconds;
  const [access] = await Promise.all([
    deps.tokens.issueAccessToken(username),
    deps.refreshTokens.createFamily(
      { tokenHash: hashRefreshToken(token), familyId: randomUUID(), username, state: 'active', expiresAt },
      new Date(now).toISOString(),
    ),
  ]);
  return tokenPair(access, token, deps.policy.refreshTokenTtlSeconds);
}

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
