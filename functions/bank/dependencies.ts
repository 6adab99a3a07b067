import { setTimeout as sleep } from 'node:timers/promises';
import { sharedDynamo } from '../../lib/dynamo';
import type { BankDependencies } from './bank-service';
import type { readBankConfig } from './config';
import { createFaultsRepository } from './faults-repository';
import { createPaymentsRepository } from './payments-repository';
import { createRandomSource } from './random';

/** Real adapters, built once per container by the bank's handlers. */
export function createBankDependencies(config: ReturnType<typeof readBankConfig>): BankDependencies {
  const { document } = sharedDynamo();
  const osRandom = createRandomSource(undefined);
  return {
    payments: createPaymentsRepository(document, config.paymentsTable),
    faults: createFaultsRepository(document, config.faultsTable),
    random: createRandomSource(config.randomSeed),
    faultDraw: () => osRandom(''),
    clock: { now: () => Date.now() },
    sleep: async (ms) => {
      if (ms > 0) await sleep(ms);
    },
    defaults: config.defaults,
  };
}
