// The DynamoDB Local ceiling: conditional puts (attribute_not_exists) of order-sized items,
// through the client lib/dynamo.ts builds for the functions (aws-lite, same settings), from
// `concurrency` loops for `seconds`. Runs in its own process, like a load generator.
// Usage: node dynamo-writes.cjs <result.json> <table> <concurrency> <seconds>   (DYNAMODB_ENDPOINT set)
import { writeFileSync } from 'node:fs';
import { createDynamo, readDynamoSettings } from '../../../lib/dynamo';

const [resultFile = '/dev/stdout', table = '', concurrencyArg = '16', secondsArg = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const seconds = Number(secondsArg);
const dynamo = createDynamo(readDynamoSettings());

// The shape and size of a PENDING order item (one line).
const item = (sk: string) => ({
  username: `ceiling-${process.pid}`,
  sk,
  orderId: sk,
  status: 'PENDING',
  pending: 'PENDING',
  lines: [{ productId: 'fraises', article: 'Fraises (barquette de 250g)', quantity: 2, unitPriceCents: 250, lineTotalCents: 500 }],
  totalCents: 500,
  currency: 'EUR',
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

async function main(): Promise<void> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const sk = `ORDER#${process.pid}-${next++}`;
      const started = performance.now();
      try {
        await dynamo.PutItem({ TableName: table, Item: item(sk), ConditionExpression: 'attribute_not_exists(sk)' });
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const used = process.cpuUsage(cpu);
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? Number.NaN;
  writeFileSync(
    resultFile,
    JSON.stringify({
      concurrency,
      seconds: elapsedS,
      writes: latencies.length,
      errors,
      rps: latencies.length / elapsedS,
      p50: at(50),
      p99: at(99),
      writerCpuMs: (used.user + used.system) / 1000,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
