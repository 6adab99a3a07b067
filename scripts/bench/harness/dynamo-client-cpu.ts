// CPU per DynamoDB call in one process: the client the functions use (lib/dynamo.ts, on aws-lite)
// and, for comparison, the AWS SDK v3 document client, each calling an in-process node:http server
// that answers with canned DynamoDB JSON. A call's CPU includes the server's; the same request
// replayed from a bare node:http client (server + the least a client can do) is measured too, and
// the difference is the client's share.
// Usage: node dynamo-client-cpu.cjs <result.json> <calls>

import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamo, type GetInput, type PutInput, type UpdateInput } from '../../../lib/dynamo';
import { serveCanned } from './canned-dynamo';

const [resultFile = '/dev/stdout', countArg = '5000'] = process.argv.slice(2);
const count = Number(countArg);
const region = 'eu-west-3';

const OPERATIONS = ['PutItem', 'UpdateItem', 'GetItem'] as const;
type Operation = (typeof OPERATIONS)[number];
type PerOperation = Record<Operation, number>;

// A PAID order with one line, as DynamoDB returns it.
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
const put: PutInput = { TableName: 'orders', Item: order, ConditionExpression: 'attribute_not_exists(sk)' };
const update: UpdateInput = {
  TableName: 'orders',
  Key: { username: 'bench', sk: order.sk },
  UpdateExpression: 'SET #status = :status, updatedAt = :at REMOVE #pending',
  ConditionExpression: '#status = :pending',
  ExpressionAttributeNames: { '#status': 'status', '#pending': 'pending' },
  ExpressionAttributeValues: { ':status': 'PAID', ':at': order.updatedAt, ':pending': 'PENDING' },
  ReturnValues: 'ALL_NEW',
};
const get: GetInput = { TableName: 'orders', Key: { username: 'bench', sk: order.sk }, ConsistentRead: true };

const BATCHES = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * CPU per call of each series, one series after the other: a warm-up (which also absorbs the garbage
 * collection the previous series left behind), then 5 batches, and the median batch. Background GC
 * threads count in process.cpuUsage(), so series taking turns batch by batch would charge each
 * other's collections. A short round of every series first, so that the first one measured does not
 * pay alone for optimizing the code they share (node:http, JSON).
 */
async function cpuMsPerCall(series: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const perBatch = Math.max(1, Math.floor(count / BATCHES));
  for (const call of Object.values(series)) for (let i = 0; i < 200; i++) await call();
  for (const [name, call] of Object.entries(series)) {
    for (let i = 0; i < Math.min(1000, count); i++) await call();
    const batches: number[] = [];
    for (let batch = 0; batch < BATCHES; batch++) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < perBatch; i++) await call();
      const used = process.cpuUsage(cpu);
      batches.push((used.user + used.system) / 1000 / perBatch);
    }
    out[name] = median(batches);
  }
  return out;
}

async function main(): Promise<void> {
  const server = await serveCanned({ PutItem: '{}', UpdateItem: JSON.stringify({ Attributes: item }), GetItem: JSON.stringify({ Item: item }) });
  const sdkClient = new DynamoDBClient({ region, endpoint: server.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const sdk = DynamoDBDocumentClient.from(sdkClient, { marshallOptions: { removeUndefinedValues: true } });
  const sdkCalls = {
    PutItem: () => sdk.send(new PutCommand(put)),
    UpdateItem: () => sdk.send(new UpdateCommand(update)),
    GetItem: () => sdk.send(new GetCommand(get)),
  };
  const dynamo = createDynamo({ endpoint: server.endpoint, region });
  const liteCalls = {
    PutItem: () => dynamo.PutItem(put),
    UpdateItem: () => dynamo.UpdateItem(update),
    GetItem: () => dynamo.GetItem(get),
  };

  // The bare client sends the requests the functions send: aws-lite's (the SDK's differ by a few headers).
  for (const operation of OPERATIONS) await liteCalls[operation]();
  const series: Record<string, () => Promise<unknown>> = {};
  for (const operation of OPERATIONS) {
    series[`awsLite ${operation}`] = liteCalls[operation];
    series[`sdk ${operation}`] = sdkCalls[operation];
    series[`bare ${operation}`] = server.bareClient(operation);
  }
  const measured = await cpuMsPerCall(series);
  sdkClient.destroy();
  await server.close();

  const of = (client: string) => Object.fromEntries(OPERATIONS.map((operation) => [operation, measured[`${client} ${operation}`] as number])) as PerOperation;
  const [awsLiteMs, sdkMs, bareMs] = [of('awsLite'), of('sdk'), of('bare')];
  const minusBare = (ms: PerOperation) => Object.fromEntries(OPERATIONS.map((operation) => [operation, ms[operation] - bareMs[operation]])) as PerOperation;
  writeFileSync(
    resultFile,
    JSON.stringify({
      count,
      // The whole call, the in-process server's work included.
      cpuMsPerCall: { awsLite: awsLiteMs, sdk: sdkMs },
      // aws-lite's request sent again from a bare node:http client: the server plus a minimal client.
      bareRequestCpuMs: bareMs,
      // What each client costs beyond that bare request.
      clientCpuMsPerCall: { awsLite: minusBare(awsLiteMs), sdk: minusBare(sdkMs) },
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
