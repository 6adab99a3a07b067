import { expect } from '@jest/globals';
import { api, type ApiResponse, uniqueName } from '../support/env';

/** Helpers for the orders end-to-end tests: users, orders and the bank's fault settings. */

export const SEED_CART = { items: [{ article: 'Fraises', quantity: 2, total_price: 5.0 }] };
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

export function placeOrder(shopper: Shopper, body: unknown = SEED_CART, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return api('POST', '/api/orders', body, { ...shopper.auth, ...headers });
}

export async function listOrders(shopper: Shopper, query = ''): Promise<ApiResponse> {
  return api('GET', `/api/orders${query}`, undefined, shopper.auth);
}

export async function setFaults(faults: Partial<typeof NORMAL_FAULTS>): Promise<void> {
  const response = await api('PUT', '/bank/faults', faults);
  expect(response.status).toBe(200);
}

export async function bankPayment(orderId: string): Promise<ApiResponse> {
  return api('GET', `/bank/payments/${orderId}`);
}

export { sleep } from '../support/wait';
