import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { usernameKey } from './users-repository';

/**
 * Login attempts per name, kept in DynamoDB so the throttle holds across every function
 * instance. Kept for any name, existing or not, so a lock never reveals that an account exists.
 *
 * An attempt is counted *before* its password is checked, in one atomic update: guesses sent
 * together each get their own number, so those past the budget can be refused unread. A success
 * clears the count.
 */
export type AttemptStart =
  | { locked: true; /** Epoch ms. */ lockedUntil: number }
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

export function createLoginAttemptsRepository(db: DynamoDBDocumentClient, tableName: string): LoginAttemptsRepository {
  const key = (username: string) => ({ username: usernameKey(username) });

  return {
    async begin(username, nowMs, expiresAtSeconds) {
      try {
        const { Attributes = {} } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(username),
            UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
            ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAtSeconds, ':now': nowMs },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const attempt = Number(Attributes.failures);
        // An item locked before `allowed` was stored: this attempt is the one after its lock.
        const legacyAllowed = Attributes.lockedUntil === undefined ? undefined : attempt;
        const allowed = Attributes.allowed === undefined ? legacyAllowed : Number(Attributes.allowed);
        return { locked: false, attempt, allowed, locks: Number(Attributes.lockCount ?? 0) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key(username), ConsistentRead: true }));
      return { locked: true, lockedUntil: Number(Item?.lockedUntil ?? nowMs) };
    },

    async lock(username, nowMs, lockedUntil) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(username),
            UpdateExpression: 'SET lockedUntil = :lockedUntil, allowed = failures + :one ADD lockCount :one',
            ConditionExpression: 'attribute_exists(failures) AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
            ExpressionAttributeValues: { ':lockedUntil': lockedUntil, ':one': 1, ':now': nowMs },
          }),
        );
      } catch (error) {
        // Another attempt locked the name first, or a success cleared the count meanwhile.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async clear(username) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key(username) }));
    },
  };
}
