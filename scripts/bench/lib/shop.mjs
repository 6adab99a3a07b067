// What the benchmark scripts share: the stack as `npm start` and deployed stages configure it
// (DynamoDB Local, the bank's serverless-offline, the shop's serverless-offline), its processes
// by name, and a customer whose orders are all paid.
import { randomBytes } from 'node:crypto';
import { startStack } from '../../local/stack.mjs';

/**
 * The test stack with the bank's default fault-settings cache (the test stack turns it off) and INFO
 * logs; `bundles`, handlers bundled beforehand (lib/skeleton.mjs).
 * @param {Record<string, string>} [env]
 * @param {{ bundles?: import('../../local/services.mjs').Bundles }} [options]
 */
export const startBenchStack = (env = {}, { bundles } = {}) => startStack({ stage: 'test', env: { BANK_FAULTS_CACHE_MS: '1000', LOG_LEVEL: 'INFO', ...env }, bundles });

/**
 * The stack's three processes, named for the memory and CPU accounting (lib/procs.mjs): the
 * bank's and the shop's serverless-offline are both `node`, so their command names would merge them.
 */
export const stackProcesses = (stack) => [
  { pid: stack.dynamo.pid, name: 'DynamoDB Local' },
  { pid: stack.bank.pid, name: 'bank offline' },
  { pid: stack.offline.pid, name: 'shop offline' },
];

/** Sets the bank's fault settings (local stages only: `PUT <bank>/faults`, no credential). */
export async function setBankFaults(stack, settings) {
  const response = await fetch(`${stack.bankUrl}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ success_rate: 1, latency_ms: 0, down: false, error_rate: 0, ...settings }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`PUT ${stack.bankUrl}/faults → ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Sets the bank to approve every payment, registers and logs in a fresh user, and returns its
 * credentials with the autocannon options of one order (two strawberries).
 */
export async function payingCustomer(stack, prefix) {
  /** @returns {Promise<any>} the answer's JSON body */
  const call = async (method, route, body) => {
    const response = await fetch(stack.apiUrl + route, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.json().catch(() => undefined);
  };
  await setBankFaults(stack, {});
  const username = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = `${prefix}-password-${randomBytes(4).toString('hex')}`;
  await call('POST', '/auth/register', { username, password });
  const { access_token: token } = await call('POST', '/auth/login', { username, password });
  const orderRun = {
    url: `${stack.apiUrl}/api/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ items: [{ article: 'Fraises', quantity: 2 }] }),
  };
  return { username, password, orderRun };
}
