import { RequestError } from '../../lib/errors';
import { createHttpHandler, json, jsonRoute, plainRoute } from '../../lib/http';
import { findPayment, pay } from './bank-service';
import { readBankConfig } from './config';
import { createBankDependencies } from './dependencies';
import { MESSAGES } from './errors';
import { orderIdRule, payBody } from './schemas';
import { paymentView } from './views';

const config = readBankConfig();
const deps = createBankDependencies(config);

export const handler = createHttpHandler(
  {
    // A decline is the bank's answer, not an error: 402 with the payment, like an approval's 200.
    'POST /bank/pay': jsonRoute(payBody, async ({ body }) => {
      const payment = await pay(deps, { orderId: body.order_id, amountCents: body.amount });
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
  { corsOrigin: config.corsOrigin },
);
