import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
} from 'cockatiel';
import { logger as defaultLogger } from '../../lib/logger';

export type PaymentStatus = 'APPROVED' | 'DECLINED';
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Each bank call is abandoned after this long, and counts as a failure. */
  timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long an open breaker refuses calls before it lets one trial call through. */
  halfOpenAfterMs: number;
}

/** Why the bank could not give an answer, and whether it may have charged anyway. */
export type UnavailableReason = 'BREAKER_OPEN' | 'BANK_DOWN' | 'BANK_REJECTED' | 'BANK_ERROR' | 'TIMEOUT' | 'TRANSPORT';

export class BankUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    /** `no`: the bank certainly did not charge. `unknown`: it may have (the answer was lost). */
    readonly charged: 'no' | 'unknown',
    /** When it is worth trying again. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`bank unavailable: ${reason}`, options);
    this.name = 'BankUnavailableError';
  }
}

/** The bank answered 5xx: a fault of the bank, counted by the breaker. */
class BankFaultError extends Error {
  constructor(readonly status: number, readonly code: string | undefined) {
    super(`bank answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BankFaultError';
  }
}

/** The bank refused the request itself (4xx other than a decline): our fault, not the bank's. */
class BankRequestError extends Error {
  constructor(readonly status: number, readonly code: string | undefined) {
    super(`bank refused the request: ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BankRequestError';
  }
}

export interface BankPolicy {
  execute<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  state(): BreakerState;
  /** Milliseconds before an open breaker lets a trial call through; 0 when calls go through. */
  msUntilTrial(): number;
}

type Log = Pick<typeof defaultLogger, 'info' | 'warn'>;

/**
 * The breaker wraps the timeout (`wrap(breaker, timeout)`) so that a timeout reaches the
 * breaker as a failure. Timeouts, transport errors and 5xx answers count; a decline is an
 * answer and a 4xx is a request error, neither touches the breaker. Created once per
 * container: that is what lets failures of earlier invocations open it.
 */
export function createBankPolicy(settings: BreakerSettings, log: Log = defaultLogger): BankPolicy {
  const breaker = circuitBreaker(
    handleWhen((error) => !(error instanceof BankRequestError)),
    { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) },
  );
  const policy = wrap(breaker, timeout(settings.timeoutMs, TimeoutStrategy.Aggressive));
  let openedAt = 0;

  breaker.onBreak((reason) => {
    openedAt = Date.now();
    const error = 'error' in reason ? reason.error : undefined;
    log.warn('bank breaker opened', { halfOpenAfterMs: settings.halfOpenAfterMs, cause: error?.message ?? 'isolated' });
  });
  breaker.onHalfOpen(() => log.info('bank breaker half-open', { trialCall: true }));
  breaker.onReset(() => log.info('bank breaker closed', { failures: 0 }));

  const msUntilTrial = () =>
    breaker.state === CircuitState.Open ? Math.max(0, openedAt + settings.halfOpenAfterMs - Date.now()) : 0;

  return {
    execute: (call) => policy.execute(({ signal }) => call(signal)),
    msUntilTrial,
    state() {
      switch (breaker.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        default:
          // cockatiel leaves the state Open until the next call; once the wait is over, that call is the trial.
          return msUntilTrial() === 0 ? 'half-open' : 'open';
      }
    },
  };
}

export interface BankPayment {
  status: PaymentStatus;
  amountCents: number;
}

export interface BankFaultsView {
  success_rate: number;
  latency_ms: number;
  down: boolean;
  error_rate: number;
}

export interface BankClient {
  /** Charges `amountCents` for the order once; the order id is the bank's idempotency key. */
  pay(orderId: string, amountCents: number): Promise<PaymentStatus>;
  /** The bank's record of the order's payment, if it ever received it. */
  findPayment(orderId: string): Promise<BankPayment | undefined>;
  /** The bank's fault settings for the health route; outside the breaker, undefined if unknown. */
  faults(): Promise<BankFaultsView | undefined>;
  breaker: Pick<BankPolicy, 'state' | 'msUntilTrial'>;
}

export interface BankClientOptions {
  /** e.g. `http://127.0.0.1:5003/bank` */
  baseUrl: string;
  policy: BankPolicy;
  /** Node's fetch keeps connections alive and pools them per origin. */
  fetch?: typeof fetch;
  /** Timeout of the health route's fault-settings read. */
  faultsTimeoutMs?: number;
}

export function createBankClient({ baseUrl, policy, fetch: send = fetch, faultsTimeoutMs = 1000 }: BankClientOptions): BankClient {
  const base = baseUrl.replace(/\/+$/, '');

  const call = async <T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await policy.execute(request);
    } catch (error) {
      throw unavailable(error, policy);
    }
  };

  return {
    pay: (orderId, amountCents) =>
      call(async (signal) => {
        const response = await send(`${base}/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ order_id: orderId, amount: amountCents }),
          signal,
        });
        const body = await readBody(response);
        if (response.status === 200) return 'APPROVED';
        if (response.status === 402) return 'DECLINED';
        throw failure(response.status, body);
      }),

    findPayment: (orderId) =>
      call(async (signal) => {
        const response = await send(`${base}/payments/${encodeURIComponent(orderId)}`, { headers: { accept: 'application/json' }, signal });
        const body = await readBody(response);
        if (response.status === 404) return undefined;
        if (response.status !== 200) throw failure(response.status, body);
        return { status: body?.status === 'approved' ? 'APPROVED' : 'DECLINED', amountCents: Number(body?.amount) };
      }),

    async faults() {
      try {
        const response = await send(`${base}/faults`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(faultsTimeoutMs) });
        const body = await readBody(response);
        if (response.status !== 200 || !body) return undefined;
        return {
          success_rate: Number(body.success_rate),
          latency_ms: Number(body.latency_ms),
          down: body.down === true,
          error_rate: Number(body.error_rate ?? 0),
        };
      } catch {
        return undefined;
      }
    },

    breaker: { state: policy.state, msUntilTrial: policy.msUntilTrial },
  };
}

async function readBody(response: Response): Promise<Record<string, unknown> | undefined> {
  // Always drain the body: an unread body keeps the pooled connection busy.
  const text = await response.text();
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function failure(status: number, body: Record<string, unknown> | undefined): Error {
  const code = typeof body?.code === 'string' ? body.code : undefined;
  return status >= 500 ? new BankFaultError(status, code) : new BankRequestError(status, code);
}

function unavailable(error: unknown, policy: BankPolicy): BankUnavailableError {
  const retryAfterMs = Math.max(policy.msUntilTrial(), 1000);
  if (error instanceof BrokenCircuitError) return new BankUnavailableError('BREAKER_OPEN', 'no', retryAfterMs, { cause: error });
  if (error instanceof TaskCancelledError) return new BankUnavailableError('TIMEOUT', 'unknown', retryAfterMs, { cause: error });
  if (error instanceof BankFaultError) {
    // The simulated bank's 503 BANK_DOWN means "refused before recording anything".
    const charged = error.status === 503 && error.code === 'BANK_DOWN' ? 'no' : 'unknown';
    return new BankUnavailableError(charged === 'no' ? 'BANK_DOWN' : 'BANK_ERROR', charged, retryAfterMs, { cause: error });
  }
  if (error instanceof BankRequestError) return new BankUnavailableError('BANK_REJECTED', 'no', retryAfterMs, { cause: error });
  return new BankUnavailableError('TRANSPORT', 'unknown', retryAfterMs, { cause: error });
}
