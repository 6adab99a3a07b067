// Starts the whole local stack for tests and benchmarks: DynamoDB Local in memory, the bank's and
// the shop's serverless-offline in-process, on free ports, with a random token secret and merchant
// key. Stops all three by PID.
import { startDynamoLocal } from './dynamodb-local.mjs';
import { freePort } from './ports.mjs';
import { startAllOrUndo } from './processes.mjs';
import { bundleServices, newTokenSecret, startServices } from './services.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * `onLine` receives every output line of the two serverless-offline processes (e.g. a test reading log lines).
 * In-process, the servers run `bundles` (bundleServices, e.g. the bench's skeleton handlers), or
 * handlers bundled here; either way the stack removes them when it stops.
 * @param {{ stage?: string, env?: Record<string, string>, inProcess?: boolean, bundles?: import('./services.mjs').Bundles,
 *   log?: (line: string) => void, onLine?: (service: 'bank' | 'shop', line: string) => void }} [options]
 */
export async function startStack({ stage = 'test', env = {}, inProcess = true, bundles, log = () => {}, onLine = () => {} } = {}) {
  // The handlers are bundled while DynamoDB Local starts.
  const [dynamo, handlers] = /** @type {[Awaited<ReturnType<typeof startDynamoLocal>>, import('./services.mjs').Bundles | undefined]} */ (
    await startAllOrUndo([
      [freePort().then((port) => startDynamoLocal({ port, inMemory: true })), (started) => started.stop()],
      [Promise.resolve(bundles ?? (inProcess ? bundleServices({ stage }) : undefined)), (made) => made?.remove()],
    ])
  );
  log(`DynamoDB Local on ${dynamo.endpoint} (pid ${dynamo.pid})`);
  const ports = { api: await freePort(), lambda: await freePort(), bank: await freePort(), bankLambda: await freePort() };
  const stackEnv = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    JWT_SECRET: newTokenSecret(),
    LOG_LEVEL: 'WARN',
    // Tests flip the bank's fault settings and pay at once: no 1 s cache in the bank (the bench keeps it).
    BANK_FAULTS_CACHE_MS: '0',
    ...env,
  };
  let services;
  try {
    services = await startServices({ stage, ports, env: stackEnv, inProcess, handlers, onLine });
  } catch (error) {
    await dynamo.stop();
    handlers?.remove();
    throw error;
  }
  log(`bank on ${services.bankUrl} (pid ${services.bank.pid}); API on ${services.apiUrl} (pid ${services.shop.pid})`);
  return {
    apiUrl: services.apiUrl,
    bankUrl: services.bankUrl,
    dynamoEndpoint: dynamo.endpoint,
    stage,
    env: { ...stackEnv, BANK_URL: services.bankUrl, MERCHANT_KEY: services.merchantKey },
    pids: [dynamo.pid, services.bank.pid, services.shop.pid],
    offline: services.shop,
    bank: services.bank,
    dynamo,
    async stop() {
      await services.stop();
      await dynamo.stop();
      handlers?.remove();
    },
  };
}
