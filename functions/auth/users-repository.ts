import { type Dynamo, isDynamoError } from '../../lib/dynamo';
import type { UsersRepository } from './ports';

/** Uniqueness is case-insensitive: the table key is the lower-cased name. */
export const usernameKey = (username: string): string => username.toLowerCase();

export function createUsersRepository(db: Dynamo, tableName: string): UsersRepository {
  return {
    async create(user) {
      try {
        await db.PutItem({
          TableName: tableName,
          Item: { username: usernameKey(user.username), displayName: user.username, passwordHash: user.passwordHash, createdAt: user.createdAt },
          ConditionExpression: 'attribute_not_exists(username)',
        });
        return true;
      } catch (error) {
        if (isDynamoError(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
    },

    async find(username) {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { username: usernameKey(username) }, ConsistentRead: true });
      if (!Item) return undefined;
      return { username: String(Item.displayName), passwordHash: String(Item.passwordHash), createdAt: String(Item.createdAt) };
    },
  };
}
