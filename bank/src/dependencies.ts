import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../lib/clock';
import { sharedDynamo } from '../../lib/dynamo';
import type { BankConfig } from './config';
import { cachedFaultsRepository, createFaultsRepository } from './faults-repository';
import { createPaymentsRepository } from './payments-repository';
import type { BankDependencies } from './ports';
import { createRandomSource } from './random';

/**
 * Real adapters, built once per container by the bank's handlers. The payment handler keeps
 * the fault settings it read for `faultsCacheMs`; the faults handler passes 0, so it always
 * shows and patches what is stored.
 */
export function createBankDependencies(config: BankConfig, faultsCacheMs = config.faultsCacheMs): BankDependencies {
  const db = sharedDynamo();
  const osRandom = createRandomSource(undefined);
  return {
    payments: createPaymentsRepository(db, config.paymentsTable),
    faults: cachedFaultsRepository(createFaultsRepository(db, config.faultsTable), faultsCacheMs, Date.now),
    random: createRandomSource(config.randomSeed),
    faultDraw: () => osRandom(''),
    clock: systemClock,
    sleep: async (ms) => {
      if (ms > 0) await sleep(ms);
    },
    defaults: config.defaults,
  };
}
