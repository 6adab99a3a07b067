// The bank's payment with nothing but its I/O (BENCHMARKS.md, "The skeleton"): stands in for the
// bank's handler in the bench's skeleton stack. The same conditional write of the payment
// (`attribute_not_exists(orderId)`) through lib/dynamo.ts, behind a plain merchant-key comparison;
// no validation, fault settings, logging or tracing. A measuring tool, never deployed.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDynamo, readDynamoSettings } from '../../../lib/dynamo';

const dynamo = createDynamo(readDynamoSettings());
const table = process.env.BANK_PAYMENTS_TABLE ?? '';
const expected = `Bearer ${process.env.MERCHANT_KEY}`;

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  if ((event.headers.authorization ?? event.headers.Authorization) !== expected) return { statusCode: 401, body: '{"error":"merchant key"}' };
  const { order_id: orderId, amount } = JSON.parse(event.body ?? '{}') as { order_id: string; amount: number };
  const transactionId = randomUUID();
  await dynamo.PutItem({
    TableName: table,
    Item: { orderId, amount, status: 'APPROVED', transactionId, createdAt: new Date().toISOString() },
    ConditionExpression: 'attribute_not_exists(orderId)',
  });
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'APPROVED', transaction_id: transactionId }) };
}
