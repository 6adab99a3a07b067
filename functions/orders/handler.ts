import { RequestError } from '../../lib/errors';
import { createHttpHandler, type HttpRequest, json, jsonRoute, plainRoute } from '../../lib/http';
import { addRequestLogKeys, recordTiming, withSpan } from '../../lib/trace';
import { readDecision } from '../authorizer/decision';
import { priceCart, productsView } from './catalogue';
import { type OrdersConfig, readOrdersConfig } from './config';
import { createOrdersDependencies } from './dependencies';
import { MESSAGES, OrderError } from './errors';
import { getOrder } from './get-order';
import { listOrders } from './list-orders';
import { placeOrder } from './place-order';
import type { OrdersDependencies } from './ports';
import { idempotencyKeyRule, listQuery, orderBody, orderIdParameter } from './schemas';
import { orderView, outcomeResponse } from './views';

/** The orders API over any dependencies: the wired `handler` below, or fakes in a test or a benchmark. */
export function createOrdersHandler(deps: OrdersDependencies, config: Pick<OrdersConfig, 'corsOrigin'>) {
  return createHttpHandler(
    {
      'GET /api/products': plainRoute(async () => json(200, productsView())),

      'POST /api/orders': jsonRoute(orderBody, async (request) => {
        const username = callerOf(request);
        const idempotencyKey = idempotencyKeyOf(request);
        // Pricing throws 422 before anything is written.
        const cart = withSpan('price', { items: request.body.items.length }, (add) => {
          const priced = priceCart(request.body.items);
          add({ total_cents: priced.totalCents });
          return priced;
        });
        return outcomeResponse(await placeOrder(deps, { username, cart, idempotencyKey }));
      }),

      'GET /api/orders': plainRoute(async (request) => {
        const query = listQuery.safeParse(request.query);
        if (!query.success) throw new RequestError('VALIDATION_FAILED', 'limit : entier de 1 à 100 ; cursor : chaîne opaque.');
        const page = await listOrders(deps, callerOf(request), query.data);
        return json(200, { orders: page.orders.map(orderView), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) });
      }),

      'GET /api/orders/{order_id}': plainRoute(async (request) => {
        const orderId = orderIdParameter.safeParse(request.pathParameters.order_id);
        if (!orderId.success) throw new OrderError('INVALID_ORDER_ID', MESSAGES.invalidOrderId);
        return json(200, orderView(await getOrder(deps, callerOf(request), orderId.data)));
      }),

      'GET /api/health': plainRoute(async () =>
        json(200, {
          breaker: deps.bank.breakerState(),
          breaker_retry_in_ms: deps.bank.msUntilCallAllowed(),
          // `refused`: the bank refused the shop's merchant key on the last call (a fault on the shop's side).
          merchant_credential: deps.bank.credential(),
          bank: (await deps.bank.faults()) ?? null,
        }),
      ),
    },
    { functionName: 'orders', corsOrigin: config.corsOrigin },
  );
}

const config = readOrdersConfig();
export const handler = createOrdersHandler(createOrdersDependencies(config), config);

/** The username comes only from the token authorizer's context, never from the request. */
function callerOf(request: HttpRequest<unknown>): string {
  const username = request.authorizer.username;
  if (!username) throw new OrderError('UNAUTHORIZED', MESSAGES.unauthorized);
  reportAuthorization(request);
  return username;
}

/** The authorizer's decision (functions/authorizer/decision.ts) in this request's Server-Timing and log line. */
function reportAuthorization(request: HttpRequest<unknown>): void {
  const decision = readDecision(request.authorizer, request.receivedAtMs);
  if (!decision) return;
  // A cached Allow cost this request nothing: the authorizer did not run.
  recordTiming('authz', decision.cached ? 0 : decision.durationMs, decision.cached ? 'cached' : undefined);
  addRequestLogKeys({ authzMs: decision.durationMs, authzCached: decision.cached, authzRequestId: decision.requestId });
}

function idempotencyKeyOf(request: HttpRequest<unknown>): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!idempotencyKeyRule.safeParse(key).success) throw new OrderError('INVALID_IDEMPOTENCY_KEY', MESSAGES.invalidIdempotencyKey);
  return key;
}
