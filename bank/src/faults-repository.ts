import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** The simulated bank's behaviour, shared by every instance through one table item. */
export interface BankFaults {
  /** Probability in [0, 1] that a new payment is approved. */
  successRate: number;
  /** Delay added before every answer from the bank. */
  latencyMs: number;
  /** When true the bank answers 503 and records nothing. */
  down: boolean;
  /**
   * Probability in [0, 1] that an answer is lost: the bank does its work (a payment is
   * recorded), then answers 500. A flaky bank, drawn afresh on every call.
   */
  errorRate: number;
}

export interface FaultsRepository {
  /** Undefined until someone has changed the defaults. */
  find(): Promise<BankFaults | undefined>;
  save(faults: BankFaults, updatedAt: string): Promise<void>;
}

const FAULTS_ID = 'current';

export function createFaultsRepository(db: DynamoDBDocumentClient, tableName: string): FaultsRepository {
  return {
    async find() {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { id: FAULTS_ID }, ConsistentRead: true }));
      if (!Item) return undefined;
      return {
        successRate: Number(Item.successRate),
        latencyMs: Number(Item.latencyMs),
        down: Item.down === true,
        // Items saved before the setting existed have none.
        errorRate: Number(Item.errorRate ?? 0),
      };
    },

    async save(faults, updatedAt) {
      await db.send(new PutCommand({ TableName: tableName, Item: { id: FAULTS_ID, ...faults, updatedAt } }));
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
