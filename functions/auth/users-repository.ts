import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UsersRepository } from './ports';

/** Uniqueness is case-insensitive: the table key is the lower-cased name. */
export const usernameKey = (username: string): string => username.toLowerCase();

export function createUsersRepository(db: DynamoDBDocumentClient, tableName: string): UsersRepository {
  return {
    async create(user) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { username: usernameKey(user.username), displayName: user.username, passwordHash: user.passwordHash, createdAt: user.createdAt },
            ConditionExpression: 'attribute_not_exists(username)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async find(username) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { username: usernameKey(username) }, ConsistentRead: true }));
      if (!Item) return undefined;
      return { username: String(Item.displayName), passwordHash: String(Item.passwordHash), createdAt: String(Item.createdAt) };
    },
  };
}
