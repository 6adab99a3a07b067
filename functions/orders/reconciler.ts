import { logger } from '../../lib/logger';
import { type OrdersConfig, readOrdersConfig } from './config';
import { createOrdersDependencies } from './dependencies';
import type { OrdersDependencies } from './ports';
import { reconcilePendingOrders } from './reconcile-orders';

/** Scheduled: settles PENDING orders that their own request will never settle. */
export function createReconcilerHandler(deps: OrdersDependencies, config: Pick<OrdersConfig, 'reconcileBatchSize'>) {
  return async (): Promise<void> => {
    const report = await reconcilePendingOrders(deps, { batchSize: config.reconcileBatchSize });
    if (report.checked > 0 || report.left > 0) logger.info('pending orders reconciled', { ...report });
  };
}

const config = readOrdersConfig();
export const handler = createReconcilerHandler(createOrdersDependencies(config), config);
