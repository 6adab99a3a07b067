import { describe, expect, it } from '@jest/globals';
import { cachedFaultsRepository } from './faults-repository';
import type { BankFaults } from './model';
import type { FaultsRepository } from './ports';

const DOWN: BankFaults = { successRate: 1, latencyMs: 0, down: true, errorRate: 0 };
const UP: BankFaults = { ...DOWN, down: false };

/** A stored item another instance can change, counting the reads that reach it. */
function storedFaults(initial: BankFaults | undefined) {
  const store: FaultsRepository & { value: BankFaults | undefined; reads: number; failNext: boolean } = {
    value: initial,
    reads: 0,
    failNext: false,
    async find() {
      store.reads++;
      if (store.failNext) {
        store.failNext = false;
        throw new Error('table unreachable');
      }
      return store.value;
    },
    async save(faults: BankFaults) {
      store.value = faults;
    },
  };
  return store;
}

describe('cachedFaultsRepository', () => {
  it('reads the table once per ttl and sees another instance’s change after it', async () => {
    // Prepare
    const store = storedFaults(UP);
    let now = 1_000;
    const cached = cachedFaultsRepository(store, 1000, () => now);

    // Act / Assess
    expect(await cached.find()).toEqual(UP);
    store.value = DOWN; // changed through the faults function
    now += 999;
    expect(await cached.find()).toEqual(UP);
    expect(store.reads).toBe(1);
    now += 1;
    expect(await cached.find()).toEqual(DOWN);
    expect(store.reads).toBe(2);
  });

  it('shares one read between concurrent misses', async () => {
    const store = storedFaults(undefined);
    const cached = cachedFaultsRepository(store, 1000, () => 0);

    const answers = await Promise.all([cached.find(), cached.find(), cached.find()]);

    expect(answers).toEqual([undefined, undefined, undefined]);
    expect(store.reads).toBe(1);
  });

  it('serves its own save at once', async () => {
    const store = storedFaults(UP);
    const cached = cachedFaultsRepository(store, 1000, () => 0);
    await cached.find();

    await cached.save(DOWN, '2026-11-29T00:00:00.000Z');

    expect(await cached.find()).toEqual(DOWN);
    expect(store.value).toEqual(DOWN);
    expect(store.reads).toBe(1);
  });

  it('does not keep a failed read', async () => {
    const store = storedFaults(UP);
    store.failNext = true;
    const cached = cachedFaultsRepository(store, 1000, () => 0);

    await expect(cached.find()).rejects.toThrow('table unreachable');

    expect(await cached.find()).toEqual(UP);
    expect(store.reads).toBe(2);
  });

  it('reads through when the ttl is 0', async () => {
    const store = storedFaults(UP);
    const cached = cachedFaultsRepository(store, 0, () => 0);

    await cached.find();
    await cached.find();

    expect(store.reads).toBe(2);
  });
});
