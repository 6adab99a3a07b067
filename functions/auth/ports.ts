import type { Clock } from '../../lib/clock';
import type { AccessTokenClaims, RefreshFamily, RefreshTokenRecord, User } from './model';

/**
 * What the auth use cases receive. The handler wires the real adapters once; unit tests pass
 * the in-memory twins (`in-memory.ts`) and a fake clock.
 */
export interface AuthDependencies {
  users: UsersRepository;
  refreshTokens: RefreshTokensRepository;
  loginAttempts: LoginAttemptsRepository;
  passwords: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  policy: AuthPolicy;
}

export interface AuthPolicy {
  refreshTokenTtlSeconds: number;
  /**
   * A rotated refresh token presented again within this many seconds of its rotation is
   * answered once more (its first answer may have been lost); 0 turns the grace off.
   */
  refreshReuseIntervalSeconds: number;
  /** Consecutive failures before an account is locked. */
  maxLoginFailures: number;
  /** First lock length; each further failure doubles it, up to `maxLockSeconds`. */
  lockSeconds: number;
  maxLockSeconds: number;
}

export interface UsersRepository {
  /** Resolves false when the name (case-insensitively) is taken. */
  create(user: User): Promise<boolean>;
  find(username: string): Promise<User | undefined>;
}

export type RotationResult = 'rotated' | 'family-revoked' | 'already-rotated';
export type ReissueResult = 'reissued' | 'family-revoked' | 'refused';

export interface RefreshTokensRepository {
  createFamily(first: RefreshTokenRecord, createdAt: string): Promise<void>;
  findToken(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** `consistent: false` (an eventually consistent read, half the cost) is for the hot path only. */
  findFamily(familyId: string, options?: { consistent?: boolean }): Promise<RefreshFamily | undefined>;
  /** Marks `old` rotated and stores `next`, only if `old` is still active and its family not revoked. */
  rotate(old: RefreshTokenRecord, next: RefreshTokenRecord, rotatedAt: string): Promise<RotationResult>;
  /**
   * The reuse interval: stores `next` as a second successor of the rotated token `old`, only if
   * `old` was rotated at or after `rotatedSince`, was never reissued before, and its family is
   * not revoked; marks `old` reissued. `refused` when any token condition fails.
   */
  reissue(old: RefreshTokenRecord, next: RefreshTokenRecord, options: { rotatedSince: string; reissuedAt: string }): Promise<ReissueResult>;
  revokeFamily(familyId: string, revokedAt: string): Promise<void>;
}

/**
 * Login attempts per name, kept in DynamoDB so the throttle holds across every function
 * instance. Kept for any name, existing or not, so a lock never reveals that an account exists.
 *
 * An attempt is counted *before* its password is checked, in one atomic update: guesses sent
 * together each get their own number, so those past the budget can be refused unread. A success
 * clears the count.
 */
export type AttemptStart =
  | { locked: true /** Epoch ms. */; lockedUntil: number }
  | {
      locked: false;
      /** This attempt's number since the last success. */
      attempt: number;
      /** Attempts numbered above this are refused unread; undefined before the first lock (the policy's maximum). */
      allowed: number | undefined;
      /** Locks so far: each one doubles the next. */
      locks: number;
    };

export interface LoginAttemptsRepository {
  /** Counts one attempt, unless the name is locked at `nowMs`: then nothing is written. */
  begin(username: string, nowMs: number, expiresAtSeconds: number): Promise<AttemptStart>;
  /**
   * Locks the name until `lockedUntil`, unless a lock is already in place at `nowMs` (then
   * nothing changes: concurrent lockers lock once). After the lock, one more attempt is checked.
   */
  lock(username: string, nowMs: number, lockedUntil: number): Promise<void>;
  clear(username: string): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Compares against `hash`, or against a dummy hash when there is no user, so both take as long. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export interface TokenService {
  /** A token for `username` in the session `sessionId`: ending that session ends the token. */
  issueAccessToken(username: string, sessionId: string): Promise<{ token: string; expiresIn: number }>;
  /** Resolves with the claims, or throws `AuthError` `TOKEN_EXPIRED` / `TOKEN_INVALID`. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims>;
}
