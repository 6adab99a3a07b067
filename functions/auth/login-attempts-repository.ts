import { type Dynamo, isDynamoError } from '../../lib/dynamo';
import type { LoginAttemptsRepository } from './ports';
import { usernameKey } from './users-repository';

export function createLoginAttemptsRepository(db: Dynamo, tableName: string): LoginAttemptsRepository {
  const key = (username: string) => ({ username: usernameKey(username) });

  return {
    async begin(username, nowMs, expiresAtSeconds) {
      try {
        const { Attributes = {} } = await db.UpdateItem({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'ADD failures :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAtSeconds, ':now': nowMs },
          ReturnValues: 'ALL_NEW',
        });
        return {
          locked: false,
          attempt: Number(Attributes.failures),
          // Both are written by the first lock; a name never locked has neither.
          allowed: Attributes.allowed === undefined ? undefined : Number(Attributes.allowed),
          locks: Attributes.lockCount === undefined ? 0 : Number(Attributes.lockCount),
        };
      } catch (error) {
        if (!isDynamoError(error, 'ConditionalCheckFailedException')) throw error;
      }
      const { Item } = await db.GetItem({ TableName: tableName, Key: key(username), ConsistentRead: true });
      return { locked: true, lockedUntil: Number(Item?.lockedUntil ?? nowMs) };
    },

    async lock(username, nowMs, lockedUntil) {
      try {
        await db.UpdateItem({
          TableName: tableName,
          Key: key(username),
          UpdateExpression: 'SET lockedUntil = :lockedUntil, allowed = failures + :one ADD lockCount :one',
          ConditionExpression: 'attribute_exists(failures) AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
          ExpressionAttributeValues: { ':lockedUntil': lockedUntil, ':one': 1, ':now': nowMs },
        });
      } catch (error) {
        // Another attempt locked the name first, or a success cleared the count meanwhile.
        if (!isDynamoError(error, 'ConditionalCheckFailedException')) throw error;
      }
    },

    async clear(username) {
      await db.DeleteItem({ TableName: tableName, Key: key(username) });
    },
  };
}
