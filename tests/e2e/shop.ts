import { expect } from '@jest/globals';
import { type ApiResponse, api, bank, uniqueName } from '../support/env';
import { sleep } from '../support/wait';

export { sleep };

/** Helpers for the orders end-to-end tests: users, orders and the bank's fault settings. */

export const ORIGINAL_CART = { items: [{ article: 'Fraises', quantity: 2, total_price: 5.0 }] };
/** Carts for load: one line, two lines, names in other spellings. */
export const SAMPLE_CARTS = [
  ORIGINAL_CART,
  {
    items: [
      { article: 'Laine', quantity: 1 },
      { article: 'Cookies', quantity: 3 },
    ],
  },
  {
    items: [
      { article: 'Pêches (kg)', quantity: 4, total_price: 12 },
      { article: 'Paquet de pâtes', quantity: 10 },
    ],
  },
];
/** The contract's 503 body for orders when nothing was charged (the code tells which: BANK_UNAVAILABLE or BREAKER_OPEN). */
export const UNAVAILABLE = { status: 'error_service', message: 'Service indisponible, veuillez réessayer plus tard.' };
/** The 503 body when the bank's answer was lost: the order is PENDING, being verified. */
export const PENDING = { status: 'error_service', code: 'PAYMENT_PENDING', message: 'Paiement en cours de vérification : ne repassez pas commande.' };
export const NORMAL_FAULTS = { success_rate: 0.5, latency_ms: 0, down: false, error_rate: 0 };

export interface Shopper {
  username: string;
  token: string;
  refreshToken: string;
  auth: Record<string, string>;
}

export async function newShopper(prefix = 'shopper'): Promise<Shopper> {
  const username = uniqueName(prefix);
  const password = 'a good password';
  expect((await api('POST', '/auth/register', { username, password })).status).toBe(201);
  const login = await api('POST', '/auth/login', { username, password });
  expect(login.status).toBe(200);
  const token = login.body.access_token as string;
  return { username, token, refreshToken: login.body.refresh_token, auth: { authorization: `Bearer ${token}` } };
}

export function placeOrder(shopper: Shopper, body: unknown = ORIGINAL_CART, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return api('POST', '/api/orders', body, { ...shopper.auth, ...headers });
}

export async function listOrders(shopper: Shopper, query = ''): Promise<ApiResponse> {
  return api('GET', `/api/orders${query}`, undefined, shopper.auth);
}

/** `GET /api/orders/{order_id}` as the shopper (a PENDING order is settled on read). */
export async function getOrder(shopper: Shopper, orderId: string): Promise<ApiResponse> {
  return api('GET', `/api/orders/${orderId}`, undefined, shopper.auth);
}

export async function setFaults(faults: Partial<typeof NORMAL_FAULTS>): Promise<void> {
  const response = await bank('PUT', '/faults', faults);
  expect(response.status).toBe(200);
}

export const health = async () => (await api('GET', '/api/health')).body;

/** Leaves the breaker closed for the next suite, whatever a test did to it. */
export async function closeBreaker(shopper: Shopper, halfOpenAfterMs: number): Promise<void> {
  await setFaults({ ...NORMAL_FAULTS, success_rate: 1 });
  if ((await health()).breaker !== 'closed') {
    await sleep(halfOpenAfterMs);
    await placeOrder(shopper);
  }
  await setFaults(NORMAL_FAULTS);
}

export async function bankPayment(orderId: string): Promise<ApiResponse> {
  return bank('GET', `/payments/${orderId}`);
}
