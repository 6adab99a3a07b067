import { type Dynamo, type Item, isDynamoError } from '../../lib/dynamo';
import type { OrderLine } from './catalogue';
import type { FailureReason, Order, OrderStatus } from './model';
import type { OrdersRepository } from './ports';

const ORDER_PREFIX = 'ORDER#';
const KEY_PREFIX = 'KEY#';
const PENDING = 'PENDING';
export const PENDING_INDEX = 'pending-orders';

export function createOrdersRepository(db: Dynamo, tableName: string): OrdersRepository {
  const orderItem = (order: Order) => ({
    username: order.username,
    sk: ORDER_PREFIX + order.orderId,
    orderId: order.orderId,
    status: order.status,
    lines: order.lines,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    failureReason: order.failureReason,
    // The sparse index holds PENDING orders only; settling an order removes this attribute.
    ...(order.status === PENDING ? { pending: PENDING } : {}),
  });

  const find = async (username: string, orderId: string) => {
    const { Item } = await db.GetItem({ TableName: tableName, Key: { username, sk: ORDER_PREFIX + orderId }, ConsistentRead: true });
    return Item ? toOrder(Item) : undefined;
  };

  return {
    async create(order, claim, nowSeconds = Math.floor(Date.now() / 1000)) {
      const putOrder = { TableName: tableName, Item: orderItem(order), ConditionExpression: 'attribute_not_exists(sk)' };
      if (!claim) {
        await db.PutItem(putOrder);
        return true;
      }
      const claimKey = { username: order.username, sk: KEY_PREFIX + claim.keyHash };
      const bindKey = claim.replaces
        ? {
            Update: {
              TableName: tableName,
              Key: claimKey,
              UpdateExpression: 'SET orderId = :orderId, expiresAt = :expiresAt',
              ConditionExpression: 'orderId = :replaces',
              ExpressionAttributeValues: { ':orderId': order.orderId, ':expiresAt': claim.expiresAt, ':replaces': claim.replaces },
            },
          }
        : {
            Put: {
              TableName: tableName,
              Item: { ...claimKey, orderId: order.orderId, fingerprint: claim.fingerprint, expiresAt: claim.expiresAt },
              ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
            },
          };
      try {
        await db.TransactWriteItems({ TransactItems: [{ Put: putOrder }, bindKey] });
        return true;
      } catch (error) {
        if (!isDynamoError(error, 'TransactionCanceledException')) throw error;
        // Reasons come in TransactItems order: [order put, key binding].
        const reason = error.CancellationReasons?.[1]?.Code;
        if (reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict') return false;
        throw error;
      }
    },

    find,

    async findClaim(username, keyHash, nowSeconds) {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { username, sk: KEY_PREFIX + keyHash }, ConsistentRead: true });
      if (!Item || Number(Item.expiresAt) < nowSeconds) return undefined;
      return { keyHash, orderId: String(Item.orderId), fingerprint: String(Item.fingerprint) };
    },

    async settle(order, status, at, reason) {
      try {
        const { Attributes } = await db.UpdateItem({
          TableName: tableName,
          Key: { username: order.username, sk: ORDER_PREFIX + order.orderId },
          UpdateExpression: `SET #status = :status, updatedAt = :at${reason ? ', failureReason = :reason' : ''} REMOVE #pending`,
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#pending': 'pending' },
          ExpressionAttributeValues: { ':status': status, ':at': at, ':pending': PENDING, ...(reason ? { ':reason': reason } : {}) },
          ReturnValues: 'ALL_NEW',
        });
        if (!Attributes) throw new Error('update returned no attributes');
        return { order: toOrder(Attributes), changed: true };
      } catch (error) {
        if (!isDynamoError(error, 'ConditionalCheckFailedException')) throw error;
      }
      const stored = await find(order.username, order.orderId);
      if (!stored) throw new Error(`order ${order.orderId} does not exist`);
      return { order: stored, changed: false };
    },

    async markAnswered(order, at) {
      try {
        await db.UpdateItem({
          TableName: tableName,
          Key: { username: order.username, sk: ORDER_PREFIX + order.orderId },
          UpdateExpression: 'SET answeredAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':pending': PENDING },
        });
      } catch (error) {
        if (!isDynamoError(error, 'ConditionalCheckFailedException')) throw error;
      }
    },

    async list(username, { limit, afterOrderId }) {
      const { Items, LastEvaluatedKey } = await db.Query({
        TableName: tableName,
        KeyConditionExpression: 'username = :username AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':username': username, ':prefix': ORDER_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ...(afterOrderId ? { ExclusiveStartKey: { username, sk: ORDER_PREFIX + afterOrderId } } : {}),
      });
      const orders = Items.map(toOrder);
      return { orders, lastOrderId: LastEvaluatedKey ? orders.at(-1)?.orderId : undefined };
    },

    async listPending(beforeOrderId, limit) {
      const { Items } = await db.Query({
        TableName: tableName,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: '#pending = :pending AND orderId < :before',
        ExpressionAttributeNames: { '#pending': 'pending' },
        ExpressionAttributeValues: { ':pending': PENDING, ':before': beforeOrderId },
        Limit: limit,
      });
      return Items.map(toOrder);
    },
  };
}

function toOrder(item: Item): Order {
  const status = String(item.status) as OrderStatus;
  return {
    orderId: String(item.orderId),
    username: String(item.username),
    status,
    lines: (item.lines as OrderLine[] | undefined) ?? [],
    totalCents: Number(item.totalCents),
    currency: String(item.currency),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    // Absent rather than undefined, so an order read back equals the one written.
    ...(item.failureReason ? { failureReason: item.failureReason as FailureReason } : {}),
    ...(item.answeredAt ? { answeredAt: String(item.answeredAt) } : {}),
  };
}
