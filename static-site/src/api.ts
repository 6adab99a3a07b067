import { codeOf, parseOrder, parseTokenPair, type RefreshTokenRequest, retryAfterOf } from './api-bodies';
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
  /** The W3C trace of this request: the one its `traceparent` started, or the one the answer's `traceresponse` names. */
  traceId: string;
  /** When it was sent (epoch ms): where the server's spans are drawn from. */
  startedAt: number;
  /** The answer's error code, when it has one. */
  code: string | undefined;
  /** The answer's Server-Timing entries (what DevTools shows in its Timing tab). */
  serverTiming: ServerTimingEntry[];
  /** Whether an Authorization header went with it. */
  bearer: boolean;
  /** For a refused token (401/403): the first 16 hex digits of its SHA-256, which the authorizer logs instead of the token. */
  tokenHash: string | undefined;
  /** A request a lesson sent on purpose (no token, a forged one). */
  probe: Probe | undefined;
  /** GET /api/orders/{order_id}: the order's status in the answer. */
  orderStatus: string | undefined;
}

export interface ServerTimingEntry {
  name: string;
  durationMs: number;
  description: string | undefined;
}

export type Probe = 'no-token' | 'forged-token';

/** One answer to POST /api/orders, for the breaker timeline (kept for the last two minutes). */
export interface OrderAnswer {
  at: number;
  status: number;
  code: string | undefined;
  durationMs: number;
}

interface CallOptions {
  body?: unknown;
  auth?: boolean;
  headers?: Record<string, string>;
  /** Marks background polling, which the request log hides unless asked. */
  poll?: boolean;
  probe?: Probe;
}

const log: LogEntry[] = [];
let nextLogId = 1;
const orderAnswers: OrderAnswer[] = [];
const ORDER_ANSWERS_KEPT_MS = 120_000;

/** The answers to POST /api/orders of the last two minutes, oldest first. */
export function recentOrderAnswers(): readonly OrderAnswer[] {
  return orderAnswers;
}

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
  if (entry.method === 'POST' && entry.path === '/api/orders') {
    orderAnswers.push({ at: entry.startedAt + entry.durationMs, status: entry.status, code: entry.code, durationMs: entry.durationMs });
    const oldest = Date.now() - ORDER_ANSWERS_KEPT_MS;
    while ((orderAnswers[0]?.at ?? oldest) < oldest) orderAnswers.shift();
  }
  emit('log');
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
const randomHex = (bytes: number): string => hex(crypto.getRandomValues(new Uint8Array(bytes)));

/** `00-<trace id>-<span id>-01`: every request starts a trace of its own (https://www.w3.org/TR/trace-context/). */
function newTraceparent(): { traceId: string; header: string } {
  const traceId = randomHex(16);
  return { traceId, header: `00-${traceId}-${randomHex(8)}-01` };
}

/** The trace id a `traceresponse` names (deployed, X-Ray's may replace ours). */
function tracedId(headers: Headers | null): string | undefined {
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(headers?.get('traceresponse') ?? '')?.[1];
}

/** `db;dur=2.1, bank;dur=30;desc="…"` → entries (https://www.w3.org/TR/server-timing/). */
function parseServerTiming(header: string | null | undefined): ServerTimingEntry[] {
  if (!header) return [];
  return header.split(',').flatMap((part) => {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (!/^[\w-]+$/.test(name)) return [];
    const param = (key: string) => params.find((piece) => piece.startsWith(`${key}=`))?.slice(key.length + 1);
    const durationMs = Number(param('dur') ?? 0);
    const description = param('desc')?.replace(/^"|"$/g, '');
    return [{ name, durationMs: Number.isFinite(durationMs) ? durationMs : 0, description }];
  });
}

/** What the authorizer logs of a token: the first 16 hex digits of its SHA-256, never the token. */
async function tokenHash(token: string): Promise<string | undefined> {
  try {
    return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))).slice(0, 16);
  } catch {
    return undefined;
  }
}

async function send(method: string, path: string, options: CallOptions, bearer?: string, baseUrl = API_URL): Promise<ApiResponse> {
  const trace = newTraceparent();
  const headers: Record<string, string> = { Accept: 'application/json', traceparent: trace.header, ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer !== undefined) headers['Authorization'] = `Bearer ${bearer}`;
  const startedAt = Date.now();
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
  const durationMs = Math.round(performance.now() - started);
  const refused = bearer !== undefined && (response.status === 401 || response.status === 403);
  record({
    method,
    // The bank's calls are shown with the bank's path prefix (e.g. /bank/faults), the API's as they are.
    path: baseUrl === API_URL ? path : `${new URL(baseUrl).pathname.replace(/\/+$/, '')}${path}`,
    status: response.status,
    durationMs,
    at: new Date(),
    poll: options.poll === true,
    traceId: tracedId(response.headers) ?? trace.traceId,
    startedAt,
    code: codeOf(response.body),
    serverTiming: parseServerTiming(response.headers?.get('Server-Timing')),
    bearer: bearer !== undefined,
    tokenHash: refused ? await tokenHash(bearer) : undefined,
    probe: options.probe,
    orderStatus: method === 'GET' && path.startsWith('/api/orders/') ? parseOrder(response.body)?.status : undefined,
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
  const body: RefreshTokenRequest = { refresh_token: refreshToken };
  const res = await send('POST', '/auth/refresh', { body });
  if (res.status === 0) return 'unreachable';
  const tokens = res.status === 200 ? parseTokenPair(res.body) : null;
  if (tokens) {
    storeTokens(tokens);
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

/**
 * A request a lesson sends on purpose, outside the session's refresh logic: GET /api/orders with no
 * token, or with the forged token given (API Gateway's authorizer must refuse both).
 */
export function probe(kind: Probe, forgedToken?: string): Promise<ApiResponse> {
  return send('GET', '/api/orders', { probe: kind }, kind === 'forged-token' ? forgedToken : undefined);
}

/** Calls the bank's own service (no credential: only its local fault settings are open to the site). */
export async function callBank(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  if (BANK_URL === null) return { status: 0, body: null, headers: null };
  return send(method, path, options, undefined, BANK_URL);
}

/** Seconds to wait before trying again: the Retry-After header, or the body's `retry_after`. */
export function retryAfterSeconds(res: ApiResponse): number | undefined {
  const header = res.headers?.get('Retry-After');
  const fromHeader = header ? Number.parseInt(header, 10) : Number.NaN;
  return Number.isFinite(fromHeader) ? fromHeader : retryAfterOf(res.body);
}
