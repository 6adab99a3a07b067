import type { RefreshFamily, RefreshTokenRecord, User } from './model';
import type { LoginAttemptsRepository, RefreshTokensRepository, UsersRepository } from './ports';
import { usernameKey } from './users-repository';

/** In-memory twins of the DynamoDB repositories, honouring the same contracts, for unit tests. */
export function inMemoryUsers(): UsersRepository & { items: Map<string, User> } {
  const items = new Map<string, User>();
  return {
    items,
    async create(user) {
      if (items.has(usernameKey(user.username))) return false;
      items.set(usernameKey(user.username), { ...user });
      return true;
    },
    async find(username) {
      return items.get(usernameKey(username));
    },
  };
}

/** Stored like the table's item: `failures` counts attempts since the last success. */
interface AttemptsItem {
  failures: number;
  lockedUntil?: number;
  allowed?: number;
  locks?: number;
}

export function inMemoryLoginAttempts(): LoginAttemptsRepository & { items: Map<string, AttemptsItem> } {
  const items = new Map<string, AttemptsItem>();
  return {
    items,
    async begin(username, nowMs) {
      const current = items.get(usernameKey(username));
      if (current?.lockedUntil !== undefined && current.lockedUntil > nowMs) return { locked: true, lockedUntil: current.lockedUntil };
      const next = { ...current, failures: (current?.failures ?? 0) + 1 };
      items.set(usernameKey(username), next);
      return { locked: false, attempt: next.failures, allowed: next.allowed, locks: next.locks ?? 0 };
    },
    async lock(username, nowMs, lockedUntil) {
      const current = items.get(usernameKey(username));
      if (!current || (current.lockedUntil !== undefined && current.lockedUntil > nowMs)) return;
      items.set(usernameKey(username), { ...current, lockedUntil, allowed: current.failures + 1, locks: (current.locks ?? 0) + 1 });
    },
    async clear(username) {
      items.delete(usernameKey(username));
    },
  };
}

export function inMemoryRefreshTokens(): RefreshTokensRepository & { tokens: Map<string, RefreshTokenRecord>; families: Map<string, RefreshFamily> } {
  const tokens = new Map<string, RefreshTokenRecord>();
  const families = new Map<string, RefreshFamily>();
  return {
    tokens,
    families,
    async createFamily(first) {
      families.set(first.familyId, { familyId: first.familyId, username: first.username, revoked: false, expiresAt: first.expiresAt });
      tokens.set(first.tokenHash, { ...first });
    },
    async findToken(tokenHash) {
      const record = tokens.get(tokenHash);
      return record && { ...record };
    },
    async findFamily(familyId) {
      return families.get(familyId);
    },
    async rotate(old, next, rotatedAt) {
      if (families.get(old.familyId)?.revoked !== false) return 'family-revoked';
      const stored = tokens.get(old.tokenHash);
      if (stored?.state !== 'active') return 'already-rotated';
      tokens.set(old.tokenHash, { ...stored, state: 'rotated', rotatedAt });
      tokens.set(next.tokenHash, { ...next });
      return 'rotated';
    },
    async reissue(old, next, { rotatedSince }) {
      if (families.get(old.familyId)?.revoked !== false) return 'family-revoked';
      const stored = tokens.get(old.tokenHash);
      if (stored?.state !== 'rotated' || stored.rotatedAt === undefined || stored.rotatedAt < rotatedSince || stored.graceUsed) return 'refused';
      tokens.set(old.tokenHash, { ...stored, graceUsed: true });
      tokens.set(next.tokenHash, { ...next });
      return 'reissued';
    },
    async revokeFamily(familyId) {
      const family = families.get(familyId);
      if (family) families.set(familyId, { ...family, revoked: true });
    },
  };
}
