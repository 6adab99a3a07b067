import { withSpan } from '../../lib/trace';
import { BankError, MESSAGES } from './errors';
import type { BankFaults, Payment } from './model';
import type { BankDependencies } from './ports';
import { approves } from './random';

export async function currentFaults(deps: BankDependencies): Promise<BankFaults> {
  return (await deps.faults.find()) ?? deps.defaults;
}

/**
 * Decides a payment once per order id. The decision is recorded before the configured
 * latency is waited out, and before a simulated error replaces the answer: a caller that
 * gives up early or gets a 500 leaves a payment the bank can be asked about later (that is
 * what the orders service's reconciliation relies on). The whole of it is the `bank.decision`
 * span: `decision` is the recorded answer, or `down`, or `error` when a simulated error replaced it.
 */
export function pay(deps: BankDependencies, input: { orderId: string; amountCents: number; currency: string }): Promise<Payment> {
  return withSpan('bank.decision', { injected_latency_ms: 0 }, async (add) => {
    const faults = await currentFaults(deps);
    if (faults.down) {
      add({ decision: 'down' });
      throw bankDown();
    }
    const status = approves(deps.random(input.orderId), faults.successRate) ? 'APPROVED' : 'DECLINED';
    const { payment } = await deps.payments.recordOnce({
      orderId: input.orderId,
      amountCents: input.amountCents,
      currency: input.currency,
      status,
      createdAt: new Date(deps.clock.now()).toISOString(),
    });
    add({ decision: payment.status === 'APPROVED' ? 'approved' : 'declined' });
    // The order id was presented before with another amount or currency: never a second payment.
    if (payment.amountCents !== input.amountCents || payment.currency !== input.currency) {
      throw new BankError('AMOUNT_MISMATCH', MESSAGES.amountMismatch, { order_id: input.orderId });
    }
    add({ injected_latency_ms: faults.latencyMs });
    await injectLatency(deps, faults.latencyMs);
    if (answerLost(deps, faults)) {
      add({ decision: 'error' });
      throw bankError();
    }
    return payment;
  });
}

export async function findPayment(deps: BankDependencies, orderId: string): Promise<Payment> {
  const faults = await currentFaults(deps);
  if (faults.down) throw bankDown();
  const payment = await deps.payments.find(orderId);
  await injectLatency(deps, faults.latencyMs);
  if (answerLost(deps, faults)) throw bankError();
  if (!payment) throw new BankError('PAYMENT_NOT_FOUND', MESSAGES.notFound, { order_id: orderId });
  return payment;
}

/** Applies the given settings over the current ones; the others keep their values. */
export async function updateFaults(deps: BankDependencies, patch: Partial<BankFaults>): Promise<BankFaults> {
  const next: BankFaults = { ...(await currentFaults(deps)), ...definedOnly(patch) };
  await deps.faults.save(next, new Date(deps.clock.now()).toISOString());
  return next;
}

/** Puts every setting back to the bank's defaults (what `npm start` does, unless told to keep them). */
export async function resetFaults(deps: BankDependencies): Promise<BankFaults> {
  await deps.faults.save(deps.defaults, new Date(deps.clock.now()).toISOString());
  return deps.defaults;
}

/** True when the bank behaves as documented: every setting at its default. */
export const isAtDefaults = (faults: BankFaults, defaults: BankFaults): boolean =>
  faults.successRate === defaults.successRate && faults.latencyMs === defaults.latencyMs && faults.down === defaults.down && faults.errorRate === defaults.errorRate;

/** The configured latency, as a `bank.latency` span when there is one. */
async function injectLatency(deps: BankDependencies, latencyMs: number): Promise<void> {
  if (latencyMs > 0) await withSpan('bank.latency', { injected_latency_ms: latencyMs }, () => deps.sleep(latencyMs));
}

const bankDown = () => new BankError('BANK_DOWN', MESSAGES.down, {}, { 'Retry-After': '1' });
const bankError = () => new BankError('BANK_ERROR', MESSAGES.error);
const answerLost = (deps: BankDependencies, faults: BankFaults): boolean => faults.errorRate > 0 && deps.faultDraw() < faults.errorRate;

function definedOnly(patch: Partial<BankFaults>): Partial<BankFaults> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
