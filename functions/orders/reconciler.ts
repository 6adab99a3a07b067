import { logger } from '../../lib/logger';
import { readOrdersConfig } from './config';
import { createOrdersDependencies } from './dependencies';
import { reconcilePendingOrders } from './reconcile-orders';

const config = readOrdersConfig();
const deps = createOrdersDependencies(config);

/** Scheduled: settles PENDING orders that their own request will never settle. */
export const handler = async (): Promise<void> => {
  const report = await reconcilePendingOrders(deps, { batchSize: config.reconcileBatchSize });
  if (report.checked > 0 || report.left > 0) logger.info('pending orders reconciled', { ...report });
};
