import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Every table of the stack, by its short name: the shop's (`serverless-shop-<stage>-<name>`) and the
 * bank's (`bank-payments`, `bank-faults` for `shop-bank-<stage>-payments|faults`); callers map the names.
 */
export const TABLES = ['users', 'refresh-tokens', 'login-attempts', 'orders', 'bank-payments', 'bank-faults'] as const;
export type TableName = (typeof TABLES)[number];
export type TableCounts = Record<TableName, number>;

/** Every item of a table (a full scan: test tables only). */
export async function scanAll(db: DynamoDBDocumentClient, tableName: string): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function countItems(db: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start, ConsistentRead: true }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

/** How many items each table holds now: compared before and after requests, it shows what they wrote. */
export async function tableCounts(db: DynamoDBDocumentClient, table: (name: TableName) => string): Promise<TableCounts> {
  const counts = await Promise.all(TABLES.map((name) => countItems(db, table(name))));
  return Object.fromEntries(TABLES.map((name, index) => [name, counts[index]!])) as TableCounts;
}
