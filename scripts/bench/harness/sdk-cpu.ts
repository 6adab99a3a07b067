// CPU the AWS SDK spends per DynamoDB call (build, serialize, sign, parse), in one process:
// the document client lib/dynamo.ts builds, with its HTTP handler replaced by canned answers.
// Usage: node sdk-cpu.cjs <result.json> <calls>

import { writeFileSync } from 'node:fs';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../../lib/dynamo';
import { answerFromMemory } from './canned-dynamo';

const [resultFile = '/dev/stdout', countArg = '5000'] = process.argv.slice(2);
const count = Number(countArg);

const item = {
  username: { S: 'bench' },
  sk: { S: 'ORDER#01ABCDEFGHJKMNPQRSTVWXYZ0' },
  orderId: { S: '01ABCDEFGHJKMNPQRSTVWXYZ0' },
  status: { S: 'PAID' },
  totalCents: { N: '500' },
  currency: { S: 'EUR' },
  createdAt: { S: '2026-01-01T00:00:00.000Z' },
  updatedAt: { S: '2026-01-01T00:00:00.000Z' },
  lines: {
    L: [
      {
        M: {
          productId: { S: 'fraises' },
          article: { S: 'Fraises (barquette de 250g)' },
          quantity: { N: '2' },
          unitPriceCents: { N: '250' },
          lineTotalCents: { N: '500' },
        },
      },
    ],
  },
};
const answers: Record<string, string> = {
  PutItem: '{}',
  UpdateItem: JSON.stringify({ Attributes: item }),
  GetItem: JSON.stringify({ Item: item }),
};

const client = createDynamoClient({ endpoint: 'http://127.0.0.1:9', region: 'eu-west-3' });
answerFromMemory(client, (operation) => answers[operation] ?? '{}');
const document = createDocumentClient(client);

const order = {
  username: 'bench',
  sk: 'ORDER#01ABCDEFGHJKMNPQRSTVWXYZ0',
  orderId: '01ABCDEFGHJKMNPQRSTVWXYZ0',
  status: 'PENDING',
  pending: 'PENDING',
  lines: [{ productId: 'fraises', article: 'Fraises (barquette de 250g)', quantity: 2, unitPriceCents: 250, lineTotalCents: 500 }],
  totalCents: 500,
  currency: 'EUR',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const calls = {
  PutItem: () => document.send(new PutCommand({ TableName: 'orders', Item: order, ConditionExpression: 'attribute_not_exists(sk)' })),
  UpdateItem: () =>
    document.send(
      new UpdateCommand({
        TableName: 'orders',
        Key: { username: 'bench', sk: order.sk },
        UpdateExpression: 'SET #status = :status, updatedAt = :at REMOVE #pending',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', '#pending': 'pending' },
        ExpressionAttributeValues: { ':status': 'PAID', ':at': order.updatedAt, ':pending': 'PENDING' },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  GetItem: () => document.send(new GetCommand({ TableName: 'orders', Key: { username: 'bench', sk: order.sk }, ConsistentRead: true })),
  // The same put through the bare client, marshalled by hand: what the document client adds.
  'PutItem, bare client': () => client.send(new PutItemCommand({ TableName: 'orders', Item: marshall(order), ConditionExpression: 'attribute_not_exists(sk)' })),
};

async function main(): Promise<void> {
  const out: Record<string, number> = {};
  for (const [name, call] of Object.entries(calls)) {
    for (let i = 0; i < Math.min(1000, count); i++) await call();
    const cpu = process.cpuUsage();
    for (let i = 0; i < count; i++) await call();
    const used = process.cpuUsage(cpu);
    out[name] = (used.user + used.system) / 1000 / count;
  }
  writeFileSync(resultFile, JSON.stringify({ count, cpuMsPerCall: out }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
