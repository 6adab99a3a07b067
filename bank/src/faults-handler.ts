import { RequestError } from '../../lib/errors';
import { createHttpHandler, json, jsonRoute, plainRoute, type Route } from '../../lib/http';
import { currentFaults, updateFaults } from './bank-service';
import { readBankConfig } from './config';
import { createBankDependencies } from './dependencies';
import { faultsBody } from './schemas';
import { faultsView } from './views';

const config = readBankConfig();
// Settings are read uncached here: a patch merges into what is stored, not into an older copy.
const deps = createBankDependencies(config, 0);

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

export const handler = createHttpHandler(
  {
    'GET /bank/faults': localOnly(plainRoute(async () => json(200, faultsView(await currentFaults(deps))))),
    'PUT /bank/faults': localOnly(
      jsonRoute(faultsBody, async ({ body }) =>
        json(200, faultsView(await updateFaults(deps, { successRate: body.success_rate, latencyMs: body.latency_ms, down: body.down, errorRate: body.error_rate }))),
      ),
    ),
  },
  { corsOrigin: config.corsOrigin },
);
