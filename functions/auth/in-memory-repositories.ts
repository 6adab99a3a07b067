import type { LoginAttempts, LoginAttemptsRepository } from './login-attempts-repository';
import type { RefreshFamily, RefreshTokenRecord, RefreshTokensRepository } from './refresh-tokens-repository';
import { type User, type UsersRepository, usernameKey } from './users-repository';

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

export function inMemoryLoginAttempts(): LoginAttemptsRepository & { items: Map<string, LoginAttempts> } {
  const items = new Map<string, LoginAttempts>();
  return {
    items,
    async find(username) {
      return items.get(usernameKey(username));
    },
    async recordFailure(username) {
      const current = items.get(usernameKey(username)) ?? { failures: 0 };
      const next = { ...current, failures: current.failures + 1 };
      items.set(usernameKey(username), next);
      return next.failures;
    },
    async lock(username, lockedUntil) {
      const current = items.get(usernameKey(username)) ?? { failures: 0 };
      items.set(usernameKey(username), { ...current, lockedUntil });
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
    async rotate(old, next) {
      if (families.get(old.familyId)?.revoked !== false) return 'family-revoked';
      const stored = tokens.get(old.tokenHash);
      if (stored?.state !== 'active') return 'already-rotated';
      tokens.set(old.tokenHash, { ...stored, state: 'rotated' });
      tokens.set(next.tokenHash, { ...next });
      return 'rotated';
    },
    async revokeFamily(familyId) {
      const family = families.get(familyId);
      if (family) families.set(familyId, { ...family, revoked: true });
    },
  };
}
