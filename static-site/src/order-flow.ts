// An order from « Acheter le panier » to its final answer. The Idempotency-Key is kept until the order has
// one, and while the outcome is unknown (the order may have been charged) the cart is locked and the order
// is followed: by reading it (GET /api/orders/{id}) when the server gave its id, else by resending the same
// POST with the same key, which returns the first result (or 409 while the first request still runs).
import { type ApiResponse, call, retryAfterSeconds } from './api';
import {
  type Cart,
  codeOf,
  messageOf,
  type OrderFields,
  type OrderStatus,
  type OrderUnavailable,
  parseOrder,
  parseOrderDeclined,
  parseOrderPaid,
  parseOrderUnavailable,
} from './api-bodies';
import { readBankFaults } from './bank-faults';
import {
  type CartLine,
  clearCart,
  endSubmission,
  getLastOutcome,
  markUnconfirmed,
  type OrderOutcome,
  type OutcomeKind,
  type ShownOrder,
  setLastOutcome,
  submissionIdempotencyKey,
  totalCents,
  type UnconfirmedOrder,
  unconfirmedOrder,
  unlockCart,
} from './cart';
import { FOLLOW_DELAYS_MS } from './config';
import { toCents } from './money';
import { isSignedIn } from './session';

export interface AnswerVerdict {
  kind: OutcomeKind;
  /** Keep the Idempotency-Key: the order has no final answer yet, so a resend must be the same order. */
  keepKey: boolean;
  /** The outcome is unknown (perhaps charged): lock the cart and follow the order. */
  unconfirmed: boolean;
}

/** Answers after which the same key would only replay the same refusal: the next purchase gets a new key. */
const FINAL_REFUSALS = new Set([400, 402, 413, 415, 422]);
/** 503 codes after which the order is known uncharged: the same cart may be retried with the same key. */
const KNOWN_UNCHARGED = new Set(['BREAKER_OPEN', 'BANK_UNAVAILABLE']);

/** What an answer to POST /api/orders means for the key and the cart (static-site/README.md has the table). */
function judgeOrderAnswer(status: number, code: string | undefined): AnswerVerdict {
  if (status >= 200 && status < 300) return { kind: 'ok', keepKey: false, unconfirmed: false };
  if (FINAL_REFUSALS.has(status)) return { kind: status === 402 ? 'declined' : 'error', keepKey: false, unconfirmed: false };
  if (status >= 500 && code !== undefined && KNOWN_UNCHARGED.has(code)) return { kind: 'unavailable', keepKey: true, unconfirmed: false };
  // No answer, a duplicate still running, a lost bank answer, any other server failure: it may be charged.
  if (status === 0 || status === 409 || status >= 500) return { kind: 'pending', keepKey: true, unconfirmed: true };
  // Refused before the orders service ran (token, throttling): nothing was charged, the key stays for a resend.
  if (status === 401 || status === 403) return { kind: 'auth', keepKey: true, unconfirmed: false };
  if (status === 429) return { kind: 'unavailable', keepKey: true, unconfirmed: false };
  return { kind: 'error', keepKey: true, unconfirmed: false };
}

const FINAL_KINDS: Partial<Record<OrderStatus, OutcomeKind>> = { PAID: 'ok', DECLINED: 'declined', FAILED: 'unavailable' };

/** What an answer to POST /api/orders says of the order: all of it when paid or declined, its id on a 503 that has one. */
function orderInAnswer(res: ApiResponse): OrderFields | OrderUnavailable | null {
  if (res.status === 201) return parseOrderPaid(res.body);
  if (res.status === 402) return parseOrderDeclined(res.body);
  if (res.status === 503) return parseOrderUnavailable(res.body);
  return null;
}

/** The order as the server answered it over what was shown before (an unknown answer changes nothing). */
function shownOrder(shown: ShownOrder, answer: OrderFields | OrderUnavailable | null): ShownOrder {
  if (answer === null) return shown;
  if ('items' in answer) {
    return {
      orderId: answer.order_id,
      lines: answer.items.map((line) => ({ article: line.article, quantity: line.quantity, lineCents: toCents(line.total_price) })),
      totalCents: answer.total_cents,
      currency: answer.currency,
    };
  }
  return answer.order_id !== undefined ? { ...shown, orderId: answer.order_id } : shown;
}

function outcomeOf(res: ApiResponse, kind: OutcomeKind, order: ShownOrder): OrderOutcome {
  const outcome: OrderOutcome = { kind, httpStatus: res.status, order };
  const code = codeOf(res.body);
  const message = messageOf(res.body);
  const retryAfter = retryAfterSeconds(res);
  if (code !== undefined) outcome.code = code;
  if (message !== undefined) outcome.message = message;
  if (retryAfter !== undefined) outcome.retryAfter = retryAfter;
  return outcome;
}

/** Applies a POST answer to the key and the cart lock, and records the outcome to show. */
function applyOrderAnswer(res: ApiResponse, shown: ShownOrder, sent: Omit<UnconfirmedOrder, 'orderId'>): OrderOutcome {
  const verdict = judgeOrderAnswer(res.status, codeOf(res.body));
  const outcome = outcomeOf(res, verdict.kind, shownOrder(shown, orderInAnswer(res)));
  if (verdict.unconfirmed) {
    const orderId = outcome.order.orderId ?? unconfirmedOrder()?.orderId;
    markUnconfirmed({ ...sent, ...(orderId !== undefined ? { orderId } : {}) });
  } else {
    unlockCart();
    if (!verdict.keepKey) endSubmission();
    if (verdict.kind === 'ok') clearCart();
  }
  setLastOutcome(outcome);
  return outcome;
}

/**
 * Sends the cart as an order with the submission's Idempotency-Key. Returns null when the session ended
 * meanwhile (the app is back on the login page; the key is kept for the same cart after signing in).
 */
export async function submitOrder(lines: readonly CartLine[]): Promise<OrderOutcome | null> {
  const cart: Cart = { items: lines.map((line) => ({ article: line.product.article, quantity: line.quantity })) };
  const idempotencyKey = submissionIdempotencyKey();
  stopFollowing();
  settledWhileAway = false;
  const res = await call('POST', '/api/orders', { auth: true, body: cart, headers: { 'Idempotency-Key': idempotencyKey } });
  if (res.status === 401 && !isSignedIn()) return null;
  const shown: ShownOrder = {
    lines: lines.map((line) => ({ article: line.product.article, quantity: line.quantity, lineCents: line.lineCents })),
    totalCents: totalCents(lines),
    currency: lines[0]?.product.currency ?? 'EUR',
  };
  const outcome = applyOrderAnswer(res, shown, { idempotencyKey, items: cart.items });
  // The answer may come from a bank someone set to fail: the notice says so.
  void readBankFaults();
  return outcome;
}

// ---- following an unconfirmed order ----

let following = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let attempt = 0;
let onResultPage = false;
let notify: () => void = () => undefined;
/** Set when the order became final while its result page was not shown (the home page says so). */
let settledWhileAway = false;

/** How the followed order ended, if it did while its result page was not shown; null otherwise. */
export function getSettledOutcomeKind(): OutcomeKind | null {
  return settledWhileAway ? (getLastOutcome()?.kind ?? null) : null;
}

export function acknowledgeSettledOrder(): void {
  settledWhileAway = false;
}

/** Starts following the unconfirmed order, if any; `onChange` runs when a check changed what is shown. */
export function followUnconfirmedOrder(onChange: () => void, options: { onResultPage: boolean }): void {
  notify = onChange;
  onResultPage = options.onResultPage;
  if (following || unconfirmedOrder() === null) return;
  following = true;
  attempt = 0;
  schedule(0);
}

/** Stops the checks (the page that showed the order is left); an order still unconfirmed stays locked. */
export function stopFollowing(): void {
  following = false;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function schedule(retryAfterMs: number): void {
  const delay = FOLLOW_DELAYS_MS[Math.min(attempt, FOLLOW_DELAYS_MS.length - 1)] ?? 1000;
  attempt += 1;
  // A Retry-After is honoured, within reason: the page should not look stuck.
  timer = setTimeout(() => void check(), Math.max(delay, Math.min(retryAfterMs, 10_000)));
}

const looksOf = (outcome: OrderOutcome | null): string =>
  outcome ? `${outcome.kind}|${outcome.httpStatus}|${outcome.order.orderId ?? ''}|${outcome.message ?? ''}` : '';

async function check(): Promise<void> {
  timer = undefined;
  const order = unconfirmedOrder();
  const shown = getLastOutcome();
  if (!following || order === null || shown === null) {
    following = false;
    return;
  }
  const retryAfterMs = order.orderId !== undefined ? await readOrder(order.orderId, shown) : await resendOrder(order, shown);
  const settled = unconfirmedOrder() === null;
  if (settled && !onResultPage) settledWhileAway = true;
  if (looksOf(getLastOutcome()) !== looksOf(shown)) notify();
  if (retryAfterMs === null || settled) following = false;
  else if (following) schedule(retryAfterMs);
}

/** GET /api/orders/{id}: a PENDING order is settled by the server on read once the bank answers. */
async function readOrder(orderId: string, shown: OrderOutcome): Promise<number | null> {
  const res = await call('GET', `/api/orders/${encodeURIComponent(orderId)}`, { auth: true });
  if (res.status === 401 && !isSignedIn()) return null;
  const order = res.status === 200 ? parseOrder(res.body) : null;
  const kind = order !== null ? FINAL_KINDS[order.status] : undefined;
  if (kind !== undefined) {
    unlockCart();
    endSubmission();
    if (kind === 'ok') clearCart();
    const outcome = outcomeOf(res, kind, shownOrder(shown.order, order));
    if (order?.failure_reason !== undefined) outcome.failureReason = order.failure_reason;
    setLastOutcome(outcome);
  } else if (res.status === 404) {
    // Not this user's order (another account signed in meanwhile): nothing left to follow.
    unlockCart();
    endSubmission();
    setLastOutcome(outcomeOf(res, 'error', shown.order));
  }
  return 0;
}

/** No order id (network error, 409): the same POST with the same key returns the first result. */
async function resendOrder(order: UnconfirmedOrder, shown: OrderOutcome): Promise<number | null> {
  const cart: Cart = { items: order.items };
  const res = await call('POST', '/api/orders', { auth: true, body: cart, headers: { 'Idempotency-Key': order.idempotencyKey } });
  if (res.status === 401 && !isSignedIn()) return null;
  applyOrderAnswer(res, shown.order, { idempotencyKey: order.idempotencyKey, items: order.items });
  return (retryAfterSeconds(res) ?? 0) * 1000;
}
