import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { usernameKey } from './users-repository';

/**
 * Failed-login counters, kept in DynamoDB so the throttle holds across every function
 * instance. Kept for any name, existing or not, so a lock never reveals that an account exists.
 */
export interface LoginAttempts {
  failures: number;
  /** Epoch ms; absent while not locked. */
  lockedUntil?: number | undefined;
}

export interface LoginAttemptsRepository {
  find(username: string): Promise<LoginAttempts | undefined>;
  /** Adds one failure and returns the new count. */
  recordFailure(username: string, expiresAtSeconds: number): Promise<number>;
  lock(username: string, lockedUntil: number): Promise<void>;
  clear(username: string): Promise<void>;
}

export function createLoginAttemptsRepository(db: DynamoDBDocumentClient, tableName: string): LoginAttemptsRepository {
  return {
    async find(username) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { username: usernameKey(username) }, ConsistentRead: true }),
      );
      if (!Item) return undefined;
      return { failures: Number(Item.failures ?? 0), lockedUntil: Item.lockedUntil === undefined ? undefined : Number(Item.lockedUntil) };
    },

    async recordFailure(username, expiresAtSeconds) {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { username: usernameKey(username) },
          UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAtSeconds },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.failures ?? 1);
    },

    async lock(username, lockedUntil) {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { username: usernameKey(username) },
          UpdateExpression: 'SET lockedUntil = :lockedUntil',
          ExpressionAttributeValues: { ':lockedUntil': lockedUntil },
        }),
      );
    },

    async clear(username) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: { username: usernameKey(username) } }));
    },
  };
}
