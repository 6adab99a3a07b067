// Starts the real stack once for the whole jest run: the integration and e2e projects both name this
// module, and jest calls it once per project, so the second call finds the stack already up. Their
// tests read its addresses from the environment. The unit project needs none of it.
import { startStack } from '../../scripts/local/stack.mjs';

export default async function globalSetup() {
  if (globalThis.__STACK__) return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const stack = await startStack({
    env: {
      // Small numbers keep the breaker and lock scenarios quick; the tests read them back.
      LOGIN_LOCK_SECONDS: '2',
      BREAKER_HALF_OPEN_AFTER_MS: '1500',
      // The production default: under the no-loss load (16 clients on a 2-core machine, DynamoDB
      // Local saturated) bank calls take a few hundred ms, and a 500 ms timeout turned some into 503s.
      BANK_TIMEOUT_MS: '1500',
      // The bank's draws depend only on this seed and the order id: tests can predict them.
      BANK_RANDOM_SEED: 'jest',
    },
  });
  globalThis.__STACK__ = stack;
  process.env.TEST_API_URL = stack.apiUrl;
  process.env.TEST_BANK_URL = stack.bankUrl;
  process.env.TEST_DYNAMODB_ENDPOINT = stack.dynamoEndpoint;
  process.env.TEST_STAGE = stack.stage;
  process.env.TEST_STACK_ENV = JSON.stringify(stack.env);
  process.stdout.write(`\nstack up in ${Date.now() - started} ms: ${stack.apiUrl} (pids ${stack.pids.join(', ')})\n`);
}
