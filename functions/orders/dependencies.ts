import { sharedDynamo } from '../../lib/dynamo';
import { createBankClient, createBankPolicy } from './bank-client';
import type { OrdersConfig } from './config';
import { newOrderId } from './order-id';
import { crashAfterBankAnswer } from './test-faults';
import { createOrdersRepository } from './orders-repository';
import type { OrdersDependencies } from './place-order';

/**
 * The real adapters, built once per container. The bank policy (and so the breaker's
 * memory of failures) lives as long as the container: never build it per request.
 */
export function createOrdersDependencies(config: OrdersConfig): OrdersDependencies {
  const { document } = sharedDynamo();
  const bank = createBankClient({ baseUrl: config.bankUrl, policy: createBankPolicy(config.breaker) });
  return {
    orders: createOrdersRepository(document, config.ordersTable),
    bank: config.crashAfterBankAnswer ? crashAfterBankAnswer(bank) : bank,
    clock: { now: () => Date.now() },
    newOrderId: (nowMs) => newOrderId(nowMs),
    policy: config.policy,
  };
}
