import { parseTokenPair, type RefreshTokenRequest, retryAfterOf } from './api-bodies';
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
