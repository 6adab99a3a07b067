import type { Dynamo } from '../../lib/dynamo';
import type { BankFaults } from './model';
import type { FaultsRepository } from './ports';

const FAULTS_ID = 'current';

export function createFaultsRepository(db: Dynamo, tableName: string): FaultsRepository {
  return {
    async find() {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { id: FAULTS_ID }, ConsistentRead: true });
      if (!Item) return undefined;
      return {
        successRate: Number(Item.successRate),
        latencyMs: Number(Item.latencyMs),
        down: Item.down === true,
        errorRate: Number(Item.errorRate),
      };
    },

    async save(faults, updatedAt) {
      await db.PutItem({ TableName: tableName, Item: { id: FAULTS_ID, ...faults, updatedAt } });
    },
  };
}

/**
 * Keeps what `inner.find()` answered for `ttlMs`: the payment path reads the settings on every
 * call, and they change only when someone flips a switch. A change made through another
 * instance (the faults function) reaches this one at most `ttlMs` later. Concurrent misses
 * share one read; a failed read is not kept.
 */
export function cachedFaultsRepository(inner: FaultsRepository, ttlMs: number, now: () => number): FaultsRepository {
  if (ttlMs <= 0) return inner;
  let cached: { value: Promise<BankFaults | undefined>; until: number } | undefined;
  return {
    find() {
      const at = now();
      if (cached && at < cached.until) return cached.value;
      const value = inner.find();
      const entry = { value, until: at + ttlMs };
      cached = entry;
      value.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return value;
    },
    async save(faults, updatedAt) {
      await inner.save(faults, updatedAt);
      cached = { value: Promise.resolve(faults), until: now() + ttlMs };
    },
  };
}
