import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, TaskCancelledError, TimeoutStrategy, timeout, wrap } from 'cockatiel';
import { logger as defaultLogger } from '../../lib/logger';
import { lazy } from '../../lib/parameters';
import { type EndSpan, outgoingTraceHeaders, recordTiming, type SpanAttrs, startSpan } from '../../lib/trace';
import { type BankResponse, type BankTransport, httpTransport } from './bank-transport';
import type { BankPayment, PaymentStatus } from './model';
import type { BankClient, BreakerState, CredentialState } from './ports';

export interface BreakerSettings {
  /** Each bank call is abandoned after this long, and counts as a failure. */
  timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long an open breaker refuses calls before it lets one trial call through. */
  halfOpenAfterMs: number;
}

/** Why the bank could not give an answer, and whether it may have charged anyway. */
export type UnavailableReason = 'BREAKER_OPEN' | 'BANK_DOWN' | 'BANK_REJECTED' | 'CREDENTIAL_REFUSED' | 'AMOUNT_MISMATCH' | 'BANK_ERROR' | 'TIMEOUT' | 'TRANSPORT';

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
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`bank answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BankFaultError';
  }
}

/**
 * The bank refused the shop's merchant credential (401/403): a fault on the shop's side (a key
 * rotated on one side only), counted by the breaker like an outage, and never a customer error.
 */
class BankCredentialError extends Error {
  constructor(readonly status: number) {
    super(`bank refused the merchant credential: ${status}`);
    this.name = 'BankCredentialError';
  }
}

/** The bank refused the request itself (4xx other than a decline): our fault, not the bank's. */
class BankRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`bank refused the request: ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BankRequestError';
  }
}

export interface BankPolicy {
  execute<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Each call's timeout. */
  readonly timeoutMs: number;
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
  // The signal aborts a call that outlives the timeout; one that has returned has nothing left to
  // abort (its request is complete), and aborting it anyway builds an AbortError per call.
  const policy = wrap(breaker, timeout(settings.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }));
  let openedAt = 0;

  breaker.onBreak((reason) => {
    openedAt = Date.now();
    const error = 'error' in reason ? reason.error : undefined;
    log.warn('bank breaker opened', { halfOpenAfterMs: settings.halfOpenAfterMs, cause: error?.message ?? 'isolated' });
  });
  breaker.onHalfOpen(() => log.info('bank breaker half-open', { trialCall: true }));
  breaker.onReset(() => log.info('bank breaker closed', { failures: 0 }));

  const msUntilTrial = () => (breaker.state === CircuitState.Open ? Math.max(0, openedAt + settings.halfOpenAfterMs - Date.now()) : 0);

  return {
    execute: (call) => policy.execute(({ signal }) => call(signal)),
    timeoutMs: settings.timeoutMs,
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

/** Where the bank is and the shop's key for it; resolved once per container (SSM when deployed). */
export interface BankEndpoint {
  /** e.g. `http://127.0.0.1:5004/bank` */
  baseUrl: string;
  merchantKey: string;
}

export interface BankClientOptions {
  /** Asked on the first call, and again only if it failed. */
  endpoint: () => Promise<BankEndpoint>;
  policy: BankPolicy;
  log?: Pick<typeof defaultLogger, 'error'>;
  /** How requests reach the bank: node:http with kept-alive connections unless a test scripts it. */
  transport?: BankTransport;
  /** Timeout of the health route's fault-settings read. */
  faultsTimeoutMs?: number;
  /** The trace the calls belong to: the invocation's (lib/trace.ts) unless a test gives its own. */
  trace?: BankCallTrace;
}

/** Each bank call carries the trace's headers, reports its duration (Server-Timing `bank`) and is a `bank.call` span. */
export interface BankCallTrace {
  headers(): Record<string, string>;
  timing(durationMs: number): void;
  span(name: string, attrs: SpanAttrs): EndSpan | undefined;
}

const invocationTrace: BankCallTrace = { headers: outgoingTraceHeaders, timing: (durationMs) => recordTiming('bank', durationMs), span: startSpan };

/** What became of one call, as its `bank.call` span says. */
type CallOutcome = 'paid' | 'declined' | 'not-found' | 'timeout' | 'unavailable' | 'breaker-open' | 'refused' | 'error';

const OUTCOME_OF_FAILURE: Record<UnavailableReason, CallOutcome> = {
  BREAKER_OPEN: 'breaker-open',
  TIMEOUT: 'timeout',
  BANK_DOWN: 'unavailable',
  TRANSPORT: 'unavailable',
  BANK_ERROR: 'error',
  CREDENTIAL_REFUSED: 'refused',
  BANK_REJECTED: 'refused',
  AMOUNT_MISMATCH: 'refused',
};

export function createBankClient({
  endpoint,
  policy,
  log = defaultLogger,
  transport: send = httpTransport,
  faultsTimeoutMs = 1000,
  trace = invocationTrace,
}: BankClientOptions): BankClient {
  let credential: CredentialState = 'unknown';
  // Resolved once, without a trailing slash: not on every call of the hot path.
  const bank = lazy(async () => {
    const { baseUrl, merchantKey } = await endpoint();
    return { base: baseUrl.replace(/\/+$/, ''), merchantKey };
  });

  const call = async <T extends BankPayment | undefined>(
    path: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
    read: (status: number, body: Record<string, unknown> | undefined) => T,
  ): Promise<T> => {
    const { base, merchantKey } = await bank();
    const started = performance.now();
    const end = trace.span('bank.call', { breaker_before: policy.state(), timeout_ms: policy.timeoutMs });
    let status: number | undefined;
    const ended = (outcome: CallOutcome, error?: string) => end?.({ breaker_after: policy.state(), outcome, ...(status === undefined ? {} : { status }) }, error);
    try {
      const payment = await policy.execute(async (signal) => {
        const response = await send(`${base}${path}`, {
          ...init,
          headers: { ...init.headers, ...trace.headers(), accept: 'application/json', authorization: `Bearer ${merchantKey}` },
          signal,
        });
        status = response.status;
        const body = await readBody(response);
        if (response.status === 401 || response.status === 403) {
          credential = 'refused';
          log.error('bank refused the merchant credential', { status: response.status, path: path.split('/')[1] });
          throw new BankCredentialError(response.status);
        }
        credential = 'accepted';
        return read(response.status, body);
      });
      ended(payment === undefined ? 'not-found' : payment.status === 'APPROVED' ? 'paid' : 'declined');
      return payment;
    } catch (error) {
      const failure = unavailable(error, policy);
      ended(OUTCOME_OF_FAILURE[failure.reason], failure.reason);
      throw failure;
    } finally {
      // Refused by an open breaker too: then the time is near zero, and that is the point.
      trace.timing(performance.now() - started);
    }
  };

  return {
    pay: ({ orderId, amountCents, currency }) =>
      call(
        '/pay',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order_id: orderId, amount: amountCents, currency }) },
        (status, body) => {
          if (status === 200 || status === 402) return paymentOf(body, status === 200 ? 'APPROVED' : 'DECLINED');
          throw failure(status, body);
        },
      ),

    findPayment: (orderId) =>
      call(`/payments/${encodeURIComponent(orderId)}`, { method: 'GET' }, (status, body) => {
        if (status === 404) return undefined;
        if (status !== 200) throw failure(status, body);
        return paymentOf(body, body?.status === 'approved' ? 'APPROVED' : 'DECLINED');
      }),

    credential: () => credential,

    async faults() {
      try {
        const { base } = await bank();
        const response = await send(`${base}/faults`, {
          method: 'GET',
          headers: { ...trace.headers(), accept: 'application/json' },
          signal: AbortSignal.timeout(faultsTimeoutMs),
        });
        const body = await readBody(response);
        if (response.status !== 200 || !body) return undefined;
        return {
          success_rate: Number(body.success_rate),
          latency_ms: Number(body.latency_ms),
          down: body.down === true,
          error_rate: Number(body.error_rate),
        };
      } catch {
        return undefined;
      }
    },

    msUntilCallAllowed: policy.msUntilTrial,
    breakerState: policy.state,
  };
}

async function readBody(response: BankResponse): Promise<Record<string, unknown> | undefined> {
  // Always drain the body: an unread body keeps the pooled connection busy.
  const text = await response.text();
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The bank's record as it sent it; an unreadable field stays unreadable (and so matches no order). */
function paymentOf(body: Record<string, unknown> | undefined, status: PaymentStatus): BankPayment {
  return {
    orderId: typeof body?.order_id === 'string' ? body.order_id : '',
    status,
    amountCents: typeof body?.amount === 'number' ? body.amount : Number.NaN,
    currency: typeof body?.currency === 'string' ? body.currency : '',
  };
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
  if (error instanceof BankCredentialError) return new BankUnavailableError('CREDENTIAL_REFUSED', 'no', retryAfterMs, { cause: error });
  if (error instanceof BankRequestError) {
    // 409: the order id was presented before with another amount or currency, not by this request.
    return new BankUnavailableError(error.code === 'AMOUNT_MISMATCH' ? 'AMOUNT_MISMATCH' : 'BANK_REJECTED', 'no', retryAfterMs, { cause: error });
  }
  return new BankUnavailableError('TRANSPORT', 'unknown', retryAfterMs, { cause: error });
}
