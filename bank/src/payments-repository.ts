import { type Dynamo, isDynamoError } from '../../lib/dynamo';
import type { Payment } from './model';
import type { PaymentsRepository } from './ports';

export function createPaymentsRepository(db: Dynamo, tableName: string): PaymentsRepository {
  return {
    async find(orderId) {
      const { Item } = await db.GetItem({ TableName: tableName, Key: { orderId }, ConsistentRead: true });
      return Item ? toPayment(Item) : undefined;
    },

    async recordOnce(payment) {
      try {
        await db.PutItem({
          TableName: tableName,
          Item: { ...payment, calls: 1 },
          ConditionExpression: 'attribute_not_exists(orderId)',
        });
        return { payment: { ...payment, calls: 1 }, created: true };
      } catch (error) {
        if (!isDynamoError(error, 'ConditionalCheckFailedException')) throw error;
      }
      const { Attributes } = await db.UpdateItem({
        TableName: tableName,
        Key: { orderId: payment.orderId },
        UpdateExpression: 'ADD calls :one',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      });
      if (!Attributes) throw new Error('payment vanished between two writes');
      return { payment: toPayment(Attributes), created: false };
    },
  };
}

function toPayment(item: Record<string, unknown>): Payment {
  return {
    orderId: String(item.orderId),
    amountCents: Number(item.amountCents),
    currency: String(item.currency),
    status: item.status === 'APPROVED' ? 'APPROVED' : 'DECLINED',
    createdAt: String(item.createdAt),
    calls: Number(item.calls),
  };
}
