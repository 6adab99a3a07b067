// Starts the whole local stack for tests and benchmarks: DynamoDB Local in memory and
// serverless-offline in-process, on free ports, with a random token secret. Stops both by PID.
import { randomBytes } from 'node:crypto';
import { startDynamoLocal } from '../../scripts/local/dynamodb-local.mjs';
import { startOffline } from '../../scripts/local/offline.mjs';
import { freePort } from '../../scripts/local/ports.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function startStack({ stage = 'test', env = {}, inProcess = true, log = () => {} } = {}) {
  const dynamo = await startDynamoLocal({ port: await freePort(), inMemory: true });
  log(`DynamoDB Local on ${dynamo.endpoint} (pid ${dynamo.pid})`);
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const apiUrl = `http://127.0.0.1:${httpPort}`;
  const stackEnv = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    BANK_URL: `${apiUrl}/bank`,
    LOG_LEVEL: 'WARN',
    // Tests flip the bank's fault settings and pay at once: no 1 s cache in the bank (the bench keeps it).
    BANK_FAULTS_CACHE_MS: '0',
    ...env,
  };
  let offline;
  try {
    offline = await startOffline({ stage, httpPort, lambdaPort, env: stackEnv, inProcess });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  log(`serverless-offline on ${apiUrl} (pid ${offline.pid})`);
  return {
    apiUrl,
    dynamoEndpoint: dynamo.endpoint,
    stage,
    env: stackEnv,
    pids: [dynamo.pid, offline.pid],
    offline,
    dynamo,
    async stop() {
      await offline.stop();
      await dynamo.stop();
    },
  };
}
