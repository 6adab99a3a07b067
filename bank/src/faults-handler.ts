import { RequestError } from '../../lib/errors';
import { createHttpHandler, json, jsonRoute, plainRoute, type Route } from '../../lib/http';
import { currentFaults, resetFaults, updateFaults } from './bank-service';
import { type BankConfig, readBankConfig } from './config';
import { createBankDependencies } from './dependencies';
import type { BankDependencies } from './ports';
import { faultsBody } from './schemas';
import { faultsView } from './views';

/** The bank's fault-settings API over any dependencies: the wired `handler` below, or fakes in a test. */
export function createFaultsHandler(deps: BankDependencies, config: Pick<BankConfig, 'corsOrigin' | 'faultControls'>) {
  /**
   * bank/serverless.yml declares this function on local stages only; this guard covers a stray
   * deployment (a deployed build has `__LOCAL_STAGE__` false, fixed by esbuild).
   */
  const localOnly = (route: Route): Route => ({
    handle: (event, requestId) => {
      if (!__LOCAL_STAGE__ || !config.faultControls) throw new RequestError('NOT_FOUND', 'Route inconnue.');
      return route.handle(event, requestId);
    },
  });

  return createHttpHandler(
    {
      'GET /bank/faults': localOnly(plainRoute(async () => json(200, faultsView(await currentFaults(deps), deps.defaults)))),
      'PUT /bank/faults': localOnly(
        jsonRoute(faultsBody, async ({ body }) =>
          json(
            200,
            faultsView(
              await updateFaults(deps, { successRate: body.success_rate, latencyMs: body.latency_ms, down: body.down, errorRate: body.error_rate }),
              deps.defaults,
            ),
          ),
        ),
      ),
      'DELETE /bank/faults': localOnly(plainRoute(async () => json(200, faultsView(await resetFaults(deps), deps.defaults)))),
    },
    { functionName: 'bank-faults', corsOrigin: config.corsOrigin },
  );
}

const config = readBankConfig();
// Settings are read uncached here: a patch merges into what is stored, not into an older copy.
export const handler = createFaultsHandler(createBankDependencies(config, 0), config);
