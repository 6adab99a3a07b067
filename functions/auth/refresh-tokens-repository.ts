import { type Dynamo, isDynamoError } from '../../lib/dynamo';
import type { RefreshTokenRecord } from './model';
import type { RefreshTokensRepository } from './ports';

/**
 * Refresh tokens are stored only as SHA-256 hashes. Two kinds of item share the table,
 * both keyed by `id`:
 *   `family#<id>`  one login session: its owner, absolute expiry and state;
 *   `token#<hash>` one token of that session: `active` until rotated once; a rotated token
 *                  keeps `rotatedAt`, and `graceUsedAt` once it has been reissued (see `reissue`).
 * Revoking the family item revokes every token of the session — and, through the access
 * tokens' `sid` claim, every access token of it — in one consistent write.
 */
const familyKey = (familyId: string) => `family#${familyId}`;
const tokenKey = (tokenHash: string) => `token#${tokenHash}`;

export function createRefreshTokensRepository(db: Dynamo, tableName: string): RefreshTokensRepository {
  const tokenItem = (record: RefreshTokenRecord) => ({
    id: tokenKey(record.tokenHash),
    familyId: record.familyId,
    username: record.username,
    state: record.state,
    expiresAt: record.expiresAt,
  });

  const familyOpen = (familyId: string) => ({
    ConditionCheck: {
      TableName: tableName,
      Key: { id: familyKey(familyId) },
      ConditionExpression: 'revoked = :false',
      ExpressionAttributeValues: { ':false': false },
    },
  });

  /**
   * One transaction: the family is still open, `old` passes `tokenUpdate`'s condition (and takes its
   * update), and `next` is stored. Rotation and the reuse interval differ only in that update.
   */
  async function spendToken(
    old: RefreshTokenRecord,
    next: RefreshTokenRecord,
    tokenUpdate: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<'done' | 'family-revoked' | 'token-refused'> {
    try {
      await db.TransactWriteItems({
        TransactItems: [
          familyOpen(old.familyId),
          { Update: { TableName: tableName, Key: { id: tokenKey(old.tokenHash) }, ExpressionAttributeNames: { '#state': 'state' }, ...tokenUpdate } },
          { Put: { TableName: tableName, Item: tokenItem(next), ConditionExpression: 'attribute_not_exists(id)' } },
        ],
      });
      return 'done';
    } catch (error) {
      if (isDynamoError(error, 'TransactionCanceledException')) {
        // Reasons come in TransactItems order: [family check, token update, new token put].
        const [family, token] = error.CancellationReasons ?? [];
        if (family?.Code === 'ConditionalCheckFailed') return 'family-revoked';
        if (token?.Code === 'ConditionalCheckFailed' || token?.Code === 'TransactionConflict') return 'token-refused';
      }
      throw error;
    }
  }

  return {
    async createFamily(first, createdAt) {
      await db.TransactWriteItems({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { id: familyKey(first.familyId), username: first.username, revoked: false, expiresAt: first.expiresAt, createdAt },
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          { Put: { TableName: tableName, Item: tokenItem(first), ConditionExpression: 'attribute_not_exists(id)' } },
        ],
      });
    },

    async findToken(tokenHash) {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { id: tokenKey(tokenHash) }, ConsistentRead: true });
      if (!Item) return undefined;
      return {
        tokenHash,
        familyId: String(Item.familyId),
        username: String(Item.username),
        state: Item.state === 'active' ? 'active' : 'rotated',
        expiresAt: Number(Item.expiresAt),
        rotatedAt: typeof Item.rotatedAt === 'string' ? Item.rotatedAt : undefined,
        graceUsed: Item.graceUsedAt !== undefined,
      };
    },

    async findFamily(familyId, { consistent = true } = {}) {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { id: familyKey(familyId) }, ConsistentRead: consistent });
      if (!Item) return undefined;
      return { familyId, username: String(Item.username), revoked: Item.revoked === true, expiresAt: Number(Item.expiresAt) };
    },

    async rotate(old, next, rotatedAt) {
      const outcome = await spendToken(old, next, {
        UpdateExpression: 'SET #state = :rotated, rotatedAt = :rotatedAt',
        ConditionExpression: '#state = :active',
        ExpressionAttributeValues: { ':rotated': 'rotated', ':active': 'active', ':rotatedAt': rotatedAt },
      });
      return outcome === 'done' ? 'rotated' : outcome === 'token-refused' ? 'already-rotated' : outcome;
    },

    async reissue(old, next, { rotatedSince, reissuedAt }) {
      const outcome = await spendToken(old, next, {
        UpdateExpression: 'SET graceUsedAt = :reissuedAt',
        // The window is checked here, in the write, not only by the caller's read.
        ConditionExpression: '#state = :rotated AND rotatedAt >= :since AND attribute_not_exists(graceUsedAt)',
        ExpressionAttributeValues: { ':rotated': 'rotated', ':since': rotatedSince, ':reissuedAt': reissuedAt },
      });
      return outcome === 'done' ? 'reissued' : outcome === 'token-refused' ? 'refused' : outcome;
    },

    async revokeFamily(familyId, revokedAt) {
      await db
        .UpdateItem({
          TableName: tableName,
          Key: { id: familyKey(familyId) },
          UpdateExpression: 'SET revoked = :true, revokedAt = if_not_exists(revokedAt, :revokedAt)',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':true': true, ':revokedAt': revokedAt },
        })
        .catch((error: unknown) => {
          // A family that no longer exists has nothing left to revoke.
          if (isDynamoError(error, 'ConditionalCheckFailedException')) return;
          throw error;
        });
    },
  };
}
