// What the benchmark scripts share: the stack as `npm start` and deployed stages configure it,
// and a customer whose orders are all paid.
import { randomBytes } from 'node:crypto';
import { startStack } from '../../../tests/support/stack.mjs';

/** The test stack with the bank's default fault-settings cache (the test stack turns it off) and INFO logs. */
export const startBenchStack = (env = {}) => startStack({ stage: 'test', env: { BANK_FAULTS_CACHE_MS: '1000', LOG_LEVEL: 'INFO', ...env } });

/**
 * Sets the bank to approve every payment, registers and logs in a fresh user, and returns its
 * credentials with the autocannon options of one order (two strawberries).
 */
export async function payingCustomer(apiUrl, prefix) {
  const call = async (method, route, body) => {
    const response = await fetch(apiUrl + route, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.json().catch(() => undefined);
  };
  await call('PUT', '/bank/faults', { success_rate: 1, latency_ms: 0, down: false });
  const username = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = `${prefix}-password-${randomBytes(4).toString('hex')}`;
  await call('POST', '/auth/register', { username, password });
  const { access_token: token } = await call('POST', '/auth/login', { username, password });
  const orderRun = {
    url: `${apiUrl}/api/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ items: [{ article: 'Fraises', quantity: 2 }] }),
  };
  return { username, password, orderRun };
}
