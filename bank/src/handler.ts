import { RequestError } from '../../lib/errors';
import { createHttpHandler, json, jsonRoute, plainRoute } from '../../lib/http';
import { logger } from '../../lib/logger';
import { lazy, resolveParameter } from '../../lib/parameters';
import { findPayment, pay } from './bank-service';
import { type BankConfig, readBankConfig } from './config';
import { createBankDependencies } from './dependencies';
import { BankError, MESSAGES } from './errors';
import { createMerchantGuard } from './merchant-keys';
import type { BankDependencies } from './ports';
import { orderIdRule, payBody } from './schemas';
import { paymentView } from './views';

/** The bank's payment API over any dependencies: the wired `handler` below, or fakes in a test or a benchmark. */
export function createBankHandler(deps: BankDependencies, config: Pick<BankConfig, 'merchantKeys'>) {
  // The keys are read once per container (SSM on deployed stages, the environment locally).
  const merchantGuard = lazy(async () => {
    const [current, next] = await Promise.all([resolveParameter(config.merchantKeys.current), resolveParameter(config.merchantKeys.next)]);
    if (!current) throw new Error('the merchant key parameter is missing');
    return createMerchantGuard(next ? [current, next] : [current]);
  });

  /** Checked before anything else, faults and latency included: a stranger learns nothing and records nothing. */
  const requireMerchant = async (headers: Readonly<Record<string, string>>, requestId: string): Promise<void> => {
    if ((await merchantGuard())(headers.authorization)) return;
    logger.warn('merchant credential refused', { requestId, presented: headers.authorization !== undefined });
    throw new BankError('MERCHANT_UNAUTHORIZED', MESSAGES.merchantUnauthorized, {}, { 'WWW-Authenticate': 'Bearer realm="bank"' });
  };

  return createHttpHandler(
    {
      // A decline is the bank's answer, not an error: 402 with the payment, like an approval's 200.
      'POST /bank/pay': jsonRoute(payBody, async ({ body }) => {
        const payment = await pay(deps, { orderId: body.order_id, amountCents: body.amount, currency: body.currency });
        return payment.status === 'APPROVED'
          ? json(200, { message: MESSAGES.approved, ...paymentView(payment) })
          : json(402, { message: MESSAGES.declined, code: 'PAYMENT_DECLINED', ...paymentView(payment) });
      }),
      'GET /bank/payments/{order_id}': plainRoute(async ({ pathParameters }) => {
        const orderId = orderIdRule.safeParse(pathParameters.order_id);
        if (!orderId.success) throw new RequestError('VALIDATION_FAILED', 'order_id invalide.');
        return json(200, paymentView(await findPayment(deps, orderId.data)));
      }),
    },
    // Server to server: no CORS. The credential is checked before the body is parsed and before any fault.
    { functionName: 'bank', guard: requireMerchant },
  );
}

const config = readBankConfig();
export const handler = createBankHandler(createBankDependencies(config), config);
