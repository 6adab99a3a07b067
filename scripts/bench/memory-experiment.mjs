// Stack memory against CPU per order: starts the stack with the given JVM options and
// serverless-offline old-space limit (both offline processes: the bank's and the shop's), warms
// it up as the bench does (lib/warm.mjs: until its CPU per order stops falling), then runs POST
// /api/orders at c=16 and prints orders/s, CPU per order by process and the peak RSS of DynamoDB
// Local + bank + shop. For choosing the memory settings in scripts/local (see BENCHMARKS.md, Memory).
// Usage: DYNAMODB_LOCAL_JAVA_OPTS="-XX:+UseSerialGC -Xmx256m" OFFLINE_MAX_OLD_SPACE_MB=256 \
//        node scripts/bench/memory-experiment.mjs [orders=3000]
import { runLoadApart } from './lib/load.mjs';
import { cpuMeter, startRssSampler } from './lib/procs.mjs';
import { payingCustomer, stackProcesses, startBenchStack } from './lib/shop.mjs';
import { STEADY_WARM_UP, warmUntilSteady } from './lib/warm.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const amount = Number(process.argv[2] ?? 3000);
const stack = await startBenchStack();
// Stopped by a signal (Ctrl-C, kill): the stack's processes go with it.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void stack.stop().finally(() => process.exit(1));
  });
}
try {
  const { orderRun } = await payingCustomer(stack, 'mem');
  const run = { ...orderRun, connections: 16 };
  const roots = stackProcesses(stack);
  const warmUp = await warmUntilSteady(orderRun, roots, STEADY_WARM_UP);
  const sampler = startRssSampler(roots);
  sampler.mark('orders');
  const meter = cpuMeter(roots);
  const result = await runLoadApart({ ...run, amount });
  const { perRequest } = meter(amount, result.generatorCpuMs);
  sampler.stop();
  const peak = sampler.peak('orders');
  const round = (value) => Math.round(value * 100) / 100;
  console.log(
    JSON.stringify({
      java: process.env.DYNAMODB_LOCAL_JAVA_OPTS ?? '(default)',
      oldSpaceMb: process.env.OFFLINE_MAX_OLD_SPACE_MB ?? '(default)',
      warmUpCpuMsPerOrder: warmUp.chunks.map((chunk) => round(chunk.cpuMsPerOrder)),
      ordersPerS: Math.round(result.rps),
      p99Ms: round(result.p99),
      cpuMsPerOrder: Object.fromEntries(Object.entries(perRequest).map(([name, ms]) => [name, round(ms)])),
      peakRssMb: { total: Math.round(peak.totalMb), ...Object.fromEntries(Object.entries(peak.byName).map(([name, mb]) => [name, Math.round(mb)])) },
    }),
  );
} finally {
  await stack.stop();
}
