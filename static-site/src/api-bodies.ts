// The bodies the shop's API and the bank send, as openapi.yaml and bank/openapi.yaml document them. The types
// are generated from the documents (npm run gen:api-types); each parser checks the documented shape and
// builds a value of the generated type, so a change to the contract breaks the build here. Anything else
// parses to null, which the pages treat as an unknown answer: an unexpected body never crashes the UI, and
// no field the API does not send is guessed at.
import type { components } from './generated/api-types';
import type { components as BankComponents } from './generated/bank-api-types';

type Schemas = components['schemas'];
type BankSchemas = BankComponents['schemas'];

/**
 * Messages are shown as sent, never compared (switch on `code`): where a document lists the wording, a
 * parser still takes any text.
 */
type WithMessage<T> = Omit<T, 'message'> & { message: string };

// ---- requests ----
export type Credentials = Schemas['LoginRequest'] & Schemas['RegisterRequest'];
export type RefreshTokenRequest = Schemas['RefreshTokenRequest'];
export type Cart = Schemas['Cart'];
export type CartItem = Schemas['CartItem'];
export type FaultsPatch = BankSchemas['FaultsPatch'];

// ---- answers ----
export type ErrorFields = Schemas['ErrorFields'];
export type TokenPair = Schemas['TokenPair'];
export type Product = Schemas['Product'];
export type OrderLine = Schemas['OrderLine'];
export type OrderFields = Schemas['OrderFields'];
export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];
export type OrdersPage = Schemas['OrdersPage'];
export type OrderPaid = Schemas['OrderPaid'];
export type OrderDeclined = Schemas['OrderDeclined'];
export type OrderUnavailable = WithMessage<Schemas['ServiceUnavailable']>;
export type Health = Schemas['Health'];
export type BreakerState = Health['breaker'];
/** The bank's fault settings; the shop's /api/health repeats them as `bank`. */
export type FaultSettings = BankSchemas['FaultSettings'];
/** GET/PUT/DELETE {bank}/faults: the settings, `at_defaults` and the `defaults`. */
export type BankFaults = BankSchemas['Faults'];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isInteger = (value: unknown): value is number => Number.isInteger(value);

/**
 * A guard for a documented enum, from every member as a key: the record must name exactly the generated
 * union's members, so a member added to or removed from the document fails the type check here.
 */
function enumGuard<T extends string>(members: Record<T, true>): (value: unknown) => value is T {
  return (value: unknown): value is T => typeof value === 'string' && Object.hasOwn(members, value);
}

/** Every element parsed, or null when one is not the documented shape (a list is never half read). */
function arrayOf<T>(value: unknown, parse: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const parsed: T[] = [];
  for (const item of value) {
    const one = parse(item);
    if (one === null) return null;
    parsed.push(one);
  }
  return parsed;
}

// ---- errors: `{message, code}` on every error answer ----

/** The message of an answer, shown as sent (text only). */
export function messageOf(body: unknown): string | undefined {
  return isRecord(body) && isText(body['message']) ? body['message'] : undefined;
}

/** The fixed error code of an error answer (`PAYMENT_PENDING`, `BREAKER_OPEN`, …). */
export function codeOf(body: unknown): ErrorFields['code'] | undefined {
  return isRecord(body) && isString(body['code']) ? body['code'] : undefined;
}

/** `retry_after` (seconds) of a 429 `TOO_MANY_ATTEMPTS` or a 503 `error_service`, as its Retry-After header. */
export function retryAfterOf(body: unknown): number | undefined {
  const value = isRecord(body) ? body['retry_after'] : undefined;
  return isInteger(value) && value >= 1 ? value : undefined;
}

// ---- auth ----

/** 200 of POST /auth/login and POST /auth/refresh. */
export function parseTokenPair(body: unknown): TokenPair | null {
  if (!isRecord(body)) return null;
  const { message, access_token, refresh_token, token_type, expires_in, refresh_expires_in } = body;
  if (!isText(message) || !isText(access_token) || !isText(refresh_token) || token_type !== 'Bearer') return null;
  if (!isInteger(expires_in) || !isInteger(refresh_expires_in)) return null;
  return { message, access_token, refresh_token, token_type, expires_in, refresh_expires_in };
}

// ---- catalogue ----

function parseProduct(value: unknown): Product | null {
  if (!isRecord(value)) return null;
  const { id, article, unit_price, currency } = value;
  if (!isText(id) || !isText(article) || !isNumber(unit_price) || unit_price <= 0 || currency !== 'EUR') return null;
  return { id, article, unit_price, currency };
}

/** 200 of GET /api/products: the catalogue, never empty. */
export function parseProducts(body: unknown): Product[] | null {
  const products = arrayOf(body, parseProduct);
  return products !== null && products.length > 0 ? products : null;
}

// ---- orders ----

const isOrderStatus = enumGuard<OrderStatus>({ PENDING: true, PAID: true, DECLINED: true, FAILED: true });
const isFailureReason = enumGuard<NonNullable<OrderFields['failure_reason']>>({
  BANK_DOWN: true,
  BANK_REJECTED: true,
  CREDENTIAL_REFUSED: true,
  BREAKER_OPEN: true,
  NOT_RECEIVED_BY_BANK: true,
  AMOUNT_MISMATCH: true,
});

function parseOrderLine(value: unknown): OrderLine | null {
  if (!isRecord(value)) return null;
  const { article, quantity, unit_price, total_price } = value;
  if (!isText(article) || !isInteger(quantity) || !isNumber(unit_price) || !isNumber(total_price)) return null;
  return { article, quantity, unit_price, total_price };
}

/** What every view of an order shows (GET and the 201 / 402 of POST /api/orders). */
function parseOrderFields(value: Json): OrderFields | null {
  const { order_id, total, total_cents, currency, created_at, updated_at, failure_reason } = value;
  const items = arrayOf(value['items'], parseOrderLine);
  if (!isText(order_id) || !isNumber(total) || !isInteger(total_cents) || currency !== 'EUR') return null;
  if (items === null || items.length === 0 || !isText(created_at) || !isText(updated_at)) return null;
  if (failure_reason !== undefined && !isFailureReason(failure_reason)) return null;
  const fields: OrderFields = { order_id, total, total_cents, currency, items, created_at, updated_at };
  if (failure_reason !== undefined) fields.failure_reason = failure_reason;
  return fields;
}

/** 200 of GET /api/orders/{order_id}, and each order of a page. */
export function parseOrder(body: unknown): Order | null {
  if (!isRecord(body)) return null;
  const fields = parseOrderFields(body);
  const { status } = body;
  return fields !== null && isOrderStatus(status) ? { ...fields, status } : null;
}

/** 200 of GET /api/orders: `{orders, next_cursor?}`. */
export function parseOrdersPage(body: unknown): OrdersPage | null {
  if (!isRecord(body)) return null;
  const orders = arrayOf(body['orders'], parseOrder);
  const cursor = body['next_cursor'];
  if (orders === null || (cursor !== undefined && !isText(cursor))) return null;
  return cursor === undefined ? { orders } : { orders, next_cursor: cursor };
}

/** 201 of POST /api/orders. */
export function parseOrderPaid(body: unknown): OrderPaid | null {
  if (!isRecord(body)) return null;
  const fields = parseOrderFields(body);
  const { status, message, order_status } = body;
  if (fields === null || status !== 'ok' || !isText(message) || order_status !== 'PAID') return null;
  return { ...fields, status, message, order_status };
}

/** 402 of POST /api/orders. */
export function parseOrderDeclined(body: unknown): OrderDeclined | null {
  if (!isRecord(body)) return null;
  const fields = parseOrderFields(body);
  const { status, code, message, order_status } = body;
  if (fields === null || status !== 'error' || code !== 'PAYMENT_DECLINED' || !isText(message) || order_status !== 'DECLINED') return null;
  return { ...fields, status, code, message, order_status };
}

const isUnavailableCode = enumGuard<OrderUnavailable['code']>({ BANK_UNAVAILABLE: true, PAYMENT_PENDING: true, BREAKER_OPEN: true });
const isUnavailableOrderStatus = enumGuard<NonNullable<OrderUnavailable['order_status']>>({ PENDING: true, FAILED: true });
const isUnavailableReason = enumGuard<NonNullable<OrderUnavailable['failure_reason']>>({
  BANK_DOWN: true,
  BANK_REJECTED: true,
  CREDENTIAL_REFUSED: true,
  BREAKER_OPEN: true,
  AMOUNT_MISMATCH: true,
});

/**
 * 503 `error_service` of POST /api/orders: the order's id once one was written (`BANK_UNAVAILABLE`,
 * `PAYMENT_PENDING`). A 503 `STORAGE_UNAVAILABLE` is another body, and parses to null.
 */
export function parseOrderUnavailable(body: unknown): OrderUnavailable | null {
  if (!isRecord(body)) return null;
  const { status, message, code, order_id, order_status, failure_reason, retry_after } = body;
  if (status !== 'error_service' || !isText(message) || !isUnavailableCode(code) || !isInteger(retry_after)) return null;
  if (order_id !== undefined && !isText(order_id)) return null;
  if (order_status !== undefined && !isUnavailableOrderStatus(order_status)) return null;
  if (failure_reason !== undefined && !isUnavailableReason(failure_reason)) return null;
  const answer: OrderUnavailable = { status, message, code, retry_after };
  if (order_id !== undefined) answer.order_id = order_id;
  if (order_status !== undefined) answer.order_status = order_status;
  if (failure_reason !== undefined) answer.failure_reason = failure_reason;
  return answer;
}

// ---- the breaker and the bank's faults ----

const isBreakerState = enumGuard<BreakerState>({ closed: true, open: true, 'half-open': true });
const isMerchantCredential = enumGuard<Health['merchant_credential']>({ accepted: true, refused: true, unknown: true });

/** The four settings (bank/openapi.yaml FaultSettings), as /api/health and {bank}/faults send them. */
export function parseFaults(body: unknown): FaultSettings | null {
  if (!isRecord(body)) return null;
  const { success_rate, latency_ms, down, error_rate } = body;
  if (!isNumber(success_rate) || !isInteger(latency_ms) || typeof down !== 'boolean' || !isNumber(error_rate)) return null;
  return { success_rate, latency_ms, down, error_rate };
}

/** 200 of GET, PUT and DELETE {bank}/faults: the settings, whether they are all the bank's defaults, and those. */
export function parseFaultsAnswer(body: unknown): BankFaults | null {
  const settings = parseFaults(body);
  if (settings === null || !isRecord(body)) return null;
  const { at_defaults } = body;
  const defaults = parseFaults(body['defaults']);
  if (typeof at_defaults !== 'boolean' || defaults === null) return null;
  return { ...settings, at_defaults, defaults };
}

/** A VALIDATION_FAILED answer's `details`: one `{path, message}` per problem; [] for any other body. */
export function validationDetailsOf(body: unknown): { path: string; message: string }[] {
  const details = isRecord(body) ? body['details'] : undefined;
  if (!Array.isArray(details)) return [];
  return details.filter((item): item is { path: string; message: string } => isRecord(item) && isString(item['path']) && isString(item['message']));
}

/** 200 of GET /api/health; `bank` is null when the shop cannot read the bank's settings. */
export function parseHealth(body: unknown): Health | null {
  if (!isRecord(body)) return null;
  const { breaker, breaker_retry_in_ms, merchant_credential } = body;
  if (!isBreakerState(breaker) || !isInteger(breaker_retry_in_ms) || !isMerchantCredential(merchant_credential)) return null;
  const bank = body['bank'] === null ? null : parseFaults(body['bank']);
  if (bank === null && body['bank'] !== null) return null;
  return { breaker, breaker_retry_in_ms, merchant_credential, bank };
}
