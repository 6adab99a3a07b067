// Stands in for functions/orders/dependencies.ts when the benchmark bundles the real orders
// handler to measure its CPU per order: the table is the project's in-memory twin of the
// orders repository, and the bank answers through a fake `fetch`, so the real bank client
// (cockatiel breaker + timeout, JSON body) still runs.
import { createBankClient, createBankPolicy } from '../../../functions/orders/bank-client';
import type { OrdersConfig } from '../../../functions/orders/config';
import { inMemoryOrders } from '../../../functions/orders/in-memory';
import { newOrderId } from '../../../functions/orders/order-id';
import type { OrdersDependencies } from '../../../functions/orders/place-order';

/** The bank's 200 answer, without a socket: only `status` and `text()` are read by the client. */
const approved = JSON.stringify({ message: 'Paiement accepté.', order_id: 'x', amount: 500, status: 'approved', calls: 1 });
const fakeFetch = (async () => ({ status: 200, text: async () => approved })) as unknown as typeof fetch;

export function createOrdersDependencies(config: OrdersConfig): OrdersDependencies {
  return {
    orders: inMemoryOrders(),
    bank: createBankClient({ baseUrl: config.bankUrl, policy: createBankPolicy(config.breaker), fetch: fakeFetch }),
    clock: { now: () => Date.now() },
    newOrderId: (nowMs) => newOrderId(nowMs),
    policy: config.policy,
  };
}
