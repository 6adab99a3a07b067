import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderLine } from './catalogue';

export type OrderStatus = 'PENDING' | 'PAID' | 'DECLINED' | 'FAILED';
export type FinalStatus = Exclude<OrderStatus, 'PENDING'>;

/** Why a FAILED order failed: the bank said it is down, refused the request, or never saw the order. */
export type FailureReason = 'BANK_DOWN' | 'BANK_REJECTED' | 'CREDENTIAL_REFUSED' | 'BREAKER_OPEN' | 'NOT_RECEIVED_BY_BANK' | 'AMOUNT_MISMATCH';

export interface Order {
  /** Time-sortable (ULID). */
  orderId: string;
  username: string;
  status: OrderStatus;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
  failureReason?: FailureReason | undefined;
  /**
   * Set on a PENDING order when the request that placed it has answered without knowing
   * whether the bank charged (its answer was lost): a retry then settles it at once instead
   * of taking it for a request still in flight.
   */
  answeredAt?: string | undefined;
}

/** Binds one user's Idempotency-Key to the order it created, so a retry after a crash finds that order. */
export interface KeyClaim {
  keyHash: string;
  orderId: string;
  /** The cart the key was first used with (see `cartFingerprint`). */
  fingerprint: string;
}

export interface NewClaim extends KeyClaim {
  /** Set when a FAILED order's key is given to a fresh attempt: the claim must still point at it. */
  replaces?: string | undefined;
  /** Epoch seconds; the table's TTL removes the claim afterwards. */
  expiresAt: number;
}

export interface OrdersPage {
  orders: Order[];
  /** The last order id of this page when more may follow. */
  lastOrderId?: string | undefined;
}

export interface OrdersRepository {
  /**
   * Writes `order` (PENDING) and, with `claim`, binds the key to it in the same transaction.
   * Resolves false, writing nothing, when the key is already bound to another order (a claim
   * that expired before `nowSeconds` no longer binds it).
   */
  create(order: Order, claim?: NewClaim, nowSeconds?: number): Promise<boolean>;
  find(username: string, orderId: string): Promise<Order | undefined>;
  /** The key's binding, unless it expired before `nowSeconds` (the table's TTL removes items late). */
  findClaim(username: string, keyHash: string, nowSeconds: number): Promise<KeyClaim | undefined>;
  /**
   * Moves a PENDING order to `status`. Only PENDING orders move: if the order had already
   * left PENDING, it is returned as stored and `changed` is false.
   */
  settle(order: Order, status: FinalStatus, at: string, reason?: FailureReason): Promise<{ order: Order; changed: boolean }>;
  /** Records `answeredAt` on an order still PENDING; does nothing once it has left PENDING. */
  markAnswered(order: Order, at: string): Promise<void>;
  /** The user's orders, newest first. */
  list(username: string, options: { limit: number; afterOrderId?: string | undefined }): Promise<OrdersPage>;
  /** PENDING orders, any user, oldest first, created before `beforeOrderId`. */
  listPending(beforeOrderId: string, limit: number): Promise<Order[]>;
}

const ORDER_PREFIX = 'ORDER#';
const KEY_PREFIX = 'KEY#';
const PENDING = 'PENDING';
export const PENDING_INDEX = 'pending-orders';

export function createOrdersRepository(db: DynamoDBDocumentClient, tableName: string): OrdersRepository {
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
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: { username, sk: ORDER_PREFIX + orderId }, ConsistentRead: true }),
    );
    return Item ? toOrder(Item) : undefined;
  };

  return {
    async create(order, claim, nowSeconds = Math.floor(Date.now() / 1000)) {
      const putOrder = { TableName: tableName, Item: orderItem(order), ConditionExpression: 'attribute_not_exists(sk)' };
      if (!claim) {
        await db.send(new PutCommand(putOrder));
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
        await db.send(new TransactWriteCommand({ TransactItems: [{ Put: putOrder }, bindKey] }));
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Reasons come in TransactItems order: [order put, key binding].
        const reason = error.CancellationReasons?.[1]?.Code;
        if (reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict') return false;
        throw error;
      }
    },

    find,

    async findClaim(username, keyHash, nowSeconds) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { username, sk: KEY_PREFIX + keyHash }, ConsistentRead: true }),
      );
      if (!Item || Number(Item.expiresAt) < nowSeconds) return undefined;
      return { keyHash, orderId: String(Item.orderId), fingerprint: String(Item.fingerprint) };
    },

    async settle(order, status, at, reason) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { username: order.username, sk: ORDER_PREFIX + order.orderId },
            UpdateExpression: `SET #status = :status, updatedAt = :at${reason ? ', failureReason = :reason' : ''} REMOVE #pending`,
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status', '#pending': 'pending' },
            ExpressionAttributeValues: { ':status': status, ':at': at, ':pending': PENDING, ...(reason ? { ':reason': reason } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (!Attributes) throw new Error('update returned no attributes');
        return { order: toOrder(Attributes), changed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const stored = await find(order.username, order.orderId);
      if (!stored) throw new Error(`order ${order.orderId} does not exist`);
      return { order: stored, changed: false };
    },

    async markAnswered(order, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { username: order.username, sk: ORDER_PREFIX + order.orderId },
            UpdateExpression: 'SET answeredAt = :at',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':pending': PENDING },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async list(username, { limit, afterOrderId }) {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'username = :username AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':username': username, ':prefix': ORDER_PREFIX },
          ScanIndexForward: false,
          Limit: limit,
          ...(afterOrderId ? { ExclusiveStartKey: { username, sk: ORDER_PREFIX + afterOrderId } } : {}),
        }),
      );
      const orders = Items.map(toOrder);
      return { orders, lastOrderId: LastEvaluatedKey ? orders.at(-1)?.orderId : undefined };
    },

    async listPending(beforeOrderId, limit) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: PENDING_INDEX,
          KeyConditionExpression: '#pending = :pending AND orderId < :before',
          ExpressionAttributeNames: { '#pending': 'pending' },
          ExpressionAttributeValues: { ':pending': PENDING, ':before': beforeOrderId },
          Limit: limit,
        }),
      );
      return Items.map(toOrder);
    },
  };
}

function toOrder(item: Record<string, unknown>): Order {
  const status = String(item.status) as OrderStatus;
  return {
    orderId: String(item.orderId),
    username: String(item.username),
    status,
    lines: (item.lines as OrderLine[] | undefined) ?? [],
    totalCents: Number(item.totalCents),
    currency: String(item.currency ?? 'EUR'),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    // Absent rather than undefined, so an order read back equals the one written.
    ...(item.failureReason ? { failureReason: item.failureReason as FailureReason } : {}),
    ...(item.answeredAt ? { answeredAt: String(item.answeredAt) } : {}),
  };
}
