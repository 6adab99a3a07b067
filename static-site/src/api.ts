import { API_URL, BANK_URL, REQUEST_LOG_SIZE } from './config';
import { emit } from './events';
import { clearSession, getAccessToken, getRefreshToken, storeTokens } from './session';

export interface ApiResponse {
  /** HTTP status, or 0 when the API could not be reached (network error, CORS refusal). */
  status: number;
  body: unknown;
  headers: Headers | null;
}

export interface LogEntry {
  id: number;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  at: Date;
  poll: boolean;
}

interface CallOptions {
  body?: unknown;
  auth?: boolean;
  headers?: Record<string, string>;
  /** Marks background polling, which the request log hides unless asked. */
  poll?: boolean;
}

const log: LogEntry[] = [];
let nextLogId = 1;

export function requestLog(): readonly LogEntry[] {
  return log;
}

export function clearRequestLog(): void {
  log.length = 0;
  emit('log');
}

function record(entry: Omit<LogEntry, 'id'>): void {
  log.unshift({ id: nextLogId++, ...entry });
  if (log.length > REQUEST_LOG_SIZE) log.length = REQUEST_LOG_SIZE;
  emit('log');
}

async function send(method: string, path: string, options: CallOptions, bearer?: string, baseUrl = API_URL): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers['Authorization'] = `Bearer ${bearer}`;
  const started = performance.now();
  let response: ApiResponse;
  try {
    const init: RequestInit = { method, headers, cache: 'no-store' };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    const res = await fetch(`${baseUrl}${path}`, init);
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    response = { status: res.status, body, headers: res.headers };
  } catch {
    response = { status: 0, body: null, headers: null };
  }
  record({
    method,
    // The bank's calls are shown with the bank's path prefix (e.g. /bank/faults), the API's as they are.
    path: baseUrl === API_URL ? path : `${new URL(baseUrl).pathname.replace(/\/+$/, '')}${path}`,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
    at: new Date(),
    poll: options.poll === true,
  });
  return response;
}

type RefreshOutcome = 'refreshed' | 'rejected' | 'unreachable';
let refreshInFlight: Promise<RefreshOutcome> | null = null;

// Refresh tokens are single use (rotated), so concurrent 401s must share one refresh call; a second call
// with the same token would look like a replay and revoke the session.
export function refreshSession(): Promise<RefreshOutcome> {
  refreshInFlight ??= doRefresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function doRefresh(): Promise<RefreshOutcome> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return 'rejected';
  const res = await send('POST', '/auth/refresh', { body: { refresh_token: refreshToken } });
  if (res.status === 0) return 'unreachable';
  const tokens = asTokens(res.body);
  if (res.status === 200 && tokens) {
    storeTokens(tokens.access_token, tokens.refresh_token);
    return 'refreshed';
  }
  return 'rejected';
}

let onSessionExpired: () => void = () => undefined;

export function setSessionExpiredHandler(handler: () => void): void {
  onSessionExpired = handler;
}

function expireSession(): void {
  clearSession();
  onSessionExpired();
}

/** The panel's "refresh now" button: the same path as a silent refresh, ending the session if refused. */
export async function refreshNow(): Promise<void> {
  if ((await refreshSession()) === 'rejected') expireSession();
}

/**
 * Calls the API. With `auth`, sends the in-memory access token; on a 401 it refreshes once (silently) and
 * retries once. If the refresh is refused the session ends and the app returns to the login page.
 */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  if (!options.auth) return send(method, path, options);

  if (getAccessToken() === null) {
    const outcome = await refreshSession();
    if (outcome === 'rejected') {
      expireSession();
      return { status: 401, body: null, headers: null };
    }
  }
  const first = await send(method, path, options, getAccessToken() ?? undefined);
  if (first.status !== 401) return first;

  const outcome = await refreshSession();
  if (outcome === 'unreachable') return first;
  if (outcome === 'rejected') {
    expireSession();
    return first;
  }
  const retried = await send(method, path, options, getAccessToken() ?? undefined);
  if (retried.status === 401) expireSession();
  return retried;
}

/** Calls the bank's own service (no credential: only its local fault settings are open to the site). */
export async function callBank(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  if (BANK_URL === null) return { status: 0, body: null, headers: null };
  return send(method, path, options, undefined, BANK_URL);
}

// ---- response shapes (validated loosely: the UI must survive an unexpected body, never crash) ----

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function messageOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body['message'] === 'string' ? body['message'] : undefined;
}

/** The fixed error code of an error answer (`PAYMENT_PENDING`, `BREAKER_OPEN`, …). */
export function codeOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body['code'] === 'string' ? body['code'] : undefined;
}

export function asTokens(body: unknown): { access_token: string; refresh_token?: string } | null {
  if (!isRecord(body) || typeof body['access_token'] !== 'string') return null;
  const refresh = body['refresh_token'];
  return typeof refresh === 'string'
    ? { access_token: body['access_token'], refresh_token: refresh }
    : { access_token: body['access_token'] };
}

export interface Product {
  id: string;
  article: string;
  unitPrice: number;
  currency: string;
}

export function asProducts(body: unknown): Product[] | null {
  if (!Array.isArray(body)) return null;
  const products: Product[] = [];
  for (const item of body) {
    if (!isRecord(item) || typeof item['article'] !== 'string' || typeof item['unit_price'] !== 'number') continue;
    products.push({
      id: typeof item['id'] === 'string' || typeof item['id'] === 'number' ? String(item['id']) : item['article'],
      article: item['article'],
      unitPrice: item['unit_price'],
      currency: typeof item['currency'] === 'string' ? item['currency'] : 'EUR',
    });
  }
  return products;
}

export interface OrderLine {
  article: string;
  quantity: number;
  /** Line total in euros when the server sent one. */
  lineTotal?: number;
}

export interface OrderSummary {
  orderId?: string;
  status: string;
  total?: number;
  createdAt?: string;
  items: OrderLine[];
}

function asOrderLines(value: unknown): OrderLine[] {
  if (!Array.isArray(value)) return [];
  const lines: OrderLine[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item['article'] !== 'string' || typeof item['quantity'] !== 'number') continue;
    const line: OrderLine = { article: item['article'], quantity: item['quantity'] };
    const lineTotal = item['total_price'] ?? item['line_total'];
    if (typeof lineTotal === 'number') line.lineTotal = lineTotal;
    lines.push(line);
  }
  return lines;
}

function firstString(record: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function asOrder(value: unknown): OrderSummary | null {
  if (!isRecord(value)) return null;
  const order: OrderSummary = {
    status: firstString(value, 'status') ?? 'UNKNOWN',
    items: asOrderLines(value['items']),
  };
  const orderId = firstString(value, 'order_id', 'orderId', 'id');
  if (orderId !== undefined) order.orderId = orderId;
  const createdAt = firstString(value, 'created_at', 'createdAt', 'date');
  if (createdAt !== undefined) order.createdAt = createdAt;
  const total = value['total'] ?? value['amount'];
  if (typeof total === 'number') order.total = total;
  return order;
}

/** Accepts `{orders, next_cursor}` and, tolerantly, a bare array. */
export function asOrderPage(body: unknown): { orders: OrderSummary[]; nextCursor?: string } | null {
  const list = Array.isArray(body) ? body : isRecord(body) ? body['orders'] : undefined;
  if (!Array.isArray(list)) return null;
  const orders = list.map(asOrder).filter((order): order is OrderSummary => order !== null);
  const cursor = isRecord(body) ? body['next_cursor'] : undefined;
  return typeof cursor === 'string' && cursor !== '' ? { orders, nextCursor: cursor } : { orders };
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BankFaults {
  successRate: number;
  latencyMs: number;
  down: boolean;
  /** Share of answers the bank loses after deciding (the payment may exist). */
  errorRate: number;
}

export function asFaults(value: unknown): BankFaults | null {
  if (!isRecord(value)) return null;
  const { success_rate: successRate, latency_ms: latencyMs, down, error_rate: errorRate } = value;
  if (typeof successRate !== 'number' || typeof latencyMs !== 'number' || typeof down !== 'boolean') return null;
  return { successRate, latencyMs, down, errorRate: typeof errorRate === 'number' ? errorRate : 0 };
}

export interface Health {
  breaker: BreakerState | 'unknown';
  bank: BankFaults | null;
  /** While open: how long until the breaker lets a trial call through, when the API says. */
  retryInMs?: number;
}

export function asHealth(body: unknown): Health | null {
  if (!isRecord(body)) return null;
  const breaker = body['breaker'];
  const health: Health = {
    breaker: breaker === 'closed' || breaker === 'open' || breaker === 'half-open' ? breaker : 'unknown',
    bank: asFaults(body['bank']),
  };
  const retryIn = body['breaker_retry_in_ms'];
  if (typeof retryIn === 'number' && retryIn > 0) health.retryInMs = retryIn;
  return health;
}

export function retryAfterSeconds(res: ApiResponse): number | undefined {
  const header = res.headers?.get('Retry-After');
  const fromHeader = header ? Number.parseInt(header, 10) : Number.NaN;
  if (Number.isFinite(fromHeader)) return fromHeader;
  const fromBody = isRecord(res.body) ? res.body['retry_after'] : undefined;
  return typeof fromBody === 'number' ? fromBody : undefined;
}
