// CPU per order in one process: the real orders handler (HTTP wrapper, validation, pricing,
// place-order use case, bank client with its breaker, views, log line) with the table and
// the bank replaced by in-memory fakes (bundled in place of ./dependencies by run.mjs), or
// the place-order use case alone on the project's fakes (functions/orders/in-memory.ts).
// Usage: node orders-cpu.cjs <result.json> <orders> <mode>; mode = handler | handler-key | use-case
import { writeFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { priceCart } from '../../../functions/orders/catalogue';
import { readOrdersConfig } from '../../../functions/orders/config';
import { handler } from '../../../functions/orders/handler';
import { fakeBank, inMemoryOrders } from '../../../functions/orders/in-memory';
import { newOrderId } from '../../../functions/orders/order-id';
import { placeOrder } from '../../../functions/orders/place-order';

const [resultFile = '/dev/stdout', countArg = '5000', mode = 'handler'] = process.argv.slice(2);
const count = Number(countArg);
const body = JSON.stringify({ items: [{ article: 'Fraises', quantity: 2 }] });

let sequence = 0;
// The headers API Gateway (and serverless-offline) put on a typical request.
const event = (): APIGatewayProxyEvent =>
  ({
    resource: '/api/orders',
    path: '/api/orders',
    httpMethod: 'POST',
    headers: {
      Accept: '*/*',
      'Accept-Encoding': 'gzip, deflate, br',
      Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.signature',
      'Content-Type': 'application/json',
      Host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'User-Agent': 'Mozilla/5.0',
      'X-Forwarded-For': '203.0.113.9',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
      ...(mode === 'handler-key' ? { 'Idempotency-Key': `bench-${process.pid}-${sequence++}` } : {}),
    },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: `req-${sequence}`,
      authorizer: { principalId: 'bench', username: 'bench' },
    },
  }) as unknown as APIGatewayProxyEvent;

const context = {
  awsRequestId: 'bench',
  functionName: 'orders',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

// The use case alone runs on the project's own fakes (in-memory repository, scripted bank).
const deps = {
  orders: inMemoryOrders(),
  bank: fakeBank().client,
  clock: { now: () => Date.now() },
  newOrderId: (nowMs: number) => newOrderId(nowMs),
  policy: readOrdersConfig().policy,
};
const useCase = async () => {
  const cart = priceCart(JSON.parse(body).items);
  return placeOrder(deps, { username: 'bench', cart });
};

async function once(): Promise<void> {
  if (mode === 'use-case') {
    const outcome = await useCase();
    if (outcome.result !== 'paid') throw new Error(`unexpected outcome ${outcome.result}`);
    return;
  }
  const response = await handler(event(), context);
  if (response.statusCode !== 201) throw new Error(`unexpected status ${response.statusCode}: ${response.body}`);
}

async function main(): Promise<void> {
  const warmup = Math.min(2000, count);
  for (let i = 0; i < warmup; i++) await once();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await once();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  writeFileSync(resultFile, JSON.stringify({ mode, count, cpuMsPerOrder: (used.user + used.system) / 1000 / count, wallMsPerOrder: wallMs / count }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
