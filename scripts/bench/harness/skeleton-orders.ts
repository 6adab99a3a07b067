// The order path with nothing but its I/O (BENCHMARKS.md, "The skeleton"): stands in for the orders
// handler in the bench's skeleton stack. The same two writes to the orders table (PENDING with the
// `pending-orders` index key, then PAID removing it, both conditional) and the same bank call
// through the functions' own clients (lib/dynamo.ts, functions/orders/bank-transport.ts); no
// validation, pricing, breaker, logging or tracing. A measuring tool, never deployed.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { httpTransport } from '../../../functions/orders/bank-transport';
import { createDynamo, readDynamoSettings } from '../../../lib/dynamo';

const dynamo = createDynamo(readDynamoSettings());
const table = process.env.ORDERS_TABLE ?? '';
const payUrl = `${process.env.BANK_URL}/pay`;
const bankHeaders = { 'content-type': 'application/json', authorization: `Bearer ${process.env.BANK_MERCHANT_KEY}` };

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const username = String(event.requestContext.authorizer?.principalId);
  const { items } = JSON.parse(event.body ?? '{}') as { items: unknown };
  const orderId = randomUUID();
  const sk = `ORDER#${orderId}`;
  const now = new Date().toISOString();
  await dynamo.PutItem({
    TableName: table,
    Item: { username, sk, orderId, status: 'PENDING', pending: 'PENDING', lines: items, totalCents: 500, currency: 'EUR', createdAt: now, updatedAt: now },
    ConditionExpression: 'attribute_not_exists(sk)',
  });
  const paid = await httpTransport(payUrl, { method: 'POST', headers: bankHeaders, body: JSON.stringify({ order_id: orderId, amount: 500 }) });
  const payment = JSON.parse(await paid.text()) as unknown;
  await dynamo.UpdateItem({
    TableName: table,
    Key: { username, sk },
    UpdateExpression: 'SET #status = :paid, updatedAt = :at REMOVE #pending',
    ConditionExpression: '#status = :pending',
    ExpressionAttributeNames: { '#status': 'status', '#pending': 'pending' },
    ExpressionAttributeValues: { ':paid': 'PAID', ':at': new Date().toISOString(), ':pending': 'PENDING' },
  });
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: orderId, status: 'PAID', payment }) };
}
