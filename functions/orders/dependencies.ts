import { systemClock } from '../../lib/clock';
import { sharedDynamo } from '../../lib/dynamo';
import { resolveParameter } from '../../lib/parameters';
import { createBankClient, createBankPolicy } from './bank-client';
import type { OrdersConfig } from './config';
import { newOrderId } from './order-id';
import { createOrdersRepository } from './orders-repository';
import type { OrdersDependencies } from './ports';
import { crashAfterBankAnswer } from './test-faults';

/**
 * The real adapters, built once per container. The bank policy (and so the breaker's
 * memory of failures) lives as long as the container: never build it per request.
 */
export function createOrdersDependencies(config: OrdersConfig): OrdersDependencies {
  const db = sharedDynamo();
  // The client asks for it once (and again only after a failure).
  const endpoint = async () => {
    const [baseUrl, merchantKey] = await Promise.all([resolveParameter(config.bank.url), resolveParameter(config.bank.merchantKey)]);
    if (!baseUrl || !merchantKey) throw new Error('the bank URL or merchant key parameter is missing');
    return { baseUrl, merchantKey };
  };
  const bank = createBankClient({ endpoint, policy: createBankPolicy(config.breaker) });
  return {
    orders: createOrdersRepository(db, config.ordersTable),
    // `__LOCAL_STAGE__` is fixed at build time: deployed bundles do not contain the crash switch.
    bank: __LOCAL_STAGE__ && config.crashAfterBankAnswer ? crashAfterBankAnswer(bank) : bank,
    clock: systemClock,
    newOrderId: (nowMs) => newOrderId(nowMs),
    policy: config.policy,
  };
}
