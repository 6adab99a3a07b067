// Stands in for functions/orders/dependencies.ts when the benchmark bundles the real orders
// handler to measure its CPU per order: the table is the project's in-memory twin of the
// orders repository, and the bank answers through a fake transport, so the real bank client
// (cockatiel breaker + timeout, merchant credential header, JSON body) still runs.
import { createBankClient, createBankPolicy } from '../../../functions/orders/bank-client';
import type { BankTransport } from '../../../functions/orders/bank-transport';
import type { OrdersConfig } from '../../../functions/orders/config';
import { inMemoryOrders } from '../../../functions/orders/in-memory';
import { newOrderId } from '../../../functions/orders/order-id';
import type { OrdersDependencies } from '../../../functions/orders/ports';
import { lazy, resolveParameter } from '../../../lib/parameters';

/**
 * The bank's 200 answer, without a socket: the payment it records for the order it was sent
 * (the shop marks an order PAID only on a matching order id, amount and currency).
 */
const fakeTransport: BankTransport = async (_url, request) => {
  const { order_id, amount, currency } = JSON.parse(request.body ?? '{}') as { order_id: string; amount: number; currency: string };
  const answer = JSON.stringify({ message: 'Paiement accepté.', order_id, amount, currency, status: 'approved', created_at: new Date().toISOString(), calls: 1 });
  return { status: 200, text: async () => answer };
};

export function createOrdersDependencies(config: OrdersConfig): OrdersDependencies {
  // Resolved once per container, as the real dependencies resolve it (from the environment here).
  const endpoint = lazy(async () => ({ baseUrl: (await resolveParameter(config.bank.url)) ?? '', merchantKey: (await resolveParameter(config.bank.merchantKey)) ?? '' }));
  return {
    orders: inMemoryOrders(),
    bank: createBankClient({ endpoint, policy: createBankPolicy(config.breaker), transport: fakeTransport }),
    clock: { now: () => Date.now() },
    newOrderId: (nowMs) => newOrderId(nowMs),
    policy: config.policy,
  };
}
