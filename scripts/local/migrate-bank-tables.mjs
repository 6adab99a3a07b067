// Local stages only: the bank's data moves from the shop's old tables (`serverless-shop-<stage>-bank-*`)
// into the bank service's own (`shop-bank-<stage>-*`), once. Every payment is copied before the shop
// starts, so no PENDING order is later settled against an empty bank (and marked FAILED though it was
// paid); a payment already in the new table is never overwritten. The old tables are deleted only after
// a complete copy. Deployed stages never run this: docs/bank.md, Migration.
import { DeleteTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from './tables.mjs';

const oldBankTables = (stage) => ({ payments: `serverless-shop-${stage}-bank-payments`, faults: `serverless-shop-${stage}-bank-faults` });
const bankTables = (stage) => ({ payments: `shop-bank-${stage}-payments`, faults: `shop-bank-${stage}-faults` });

async function exists(client, TableName) {
  try {
    await client.send(new DescribeTableCommand({ TableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function copyTable(document, from, to, keyName, upgrade) {
  let copied = 0;
  let ExclusiveStartKey;
  do {
    const page = await document.send(new ScanCommand({ TableName: from, ExclusiveStartKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      try {
        await document.send(new PutCommand({ TableName: to, Item: upgrade(item), ConditionExpression: `attribute_not_exists(${keyName})` }));
        copied++;
      } catch (error) {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return copied;
}

/** Returns what was moved, or undefined when there was nothing to move. */
export async function migrateBankTables({ endpoint, stage }) {
  const client = localDynamoClient(endpoint);
  const document = DynamoDBDocumentClient.from(client);
  try {
    const from = oldBankTables(stage);
    const to = bankTables(stage);
    if (!(await exists(client, from.payments)) && !(await exists(client, from.faults))) return undefined;
    let payments = 0;
    if (await exists(client, from.payments)) {
      // Payments recorded before the bank took a currency were all in euros; `calls` was always written.
      payments = await copyTable(document, from.payments, to.payments, 'orderId', (item) => ({ currency: 'EUR', calls: 1, ...item }));
    }
    if (await exists(client, from.faults)) await copyTable(document, from.faults, to.faults, 'id', (item) => ({ errorRate: 0, ...item }));
    for (const TableName of [from.payments, from.faults]) {
      if (await exists(client, TableName)) await client.send(new DeleteTableCommand({ TableName }));
    }
    return { payments };
  } finally {
    client.destroy();
  }
}
