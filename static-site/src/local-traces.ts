// The local trace collector (docs/trace-collector.md): `npm start` builds traces from the JSON log lines of
// the shop's and the bank's serverless-offline and serves them on the site's own origin under /_local/.
// A deployed site has no such route: every reader here answers null, and the panel says why.
import type { LogEntry } from './api';

/** True in a site built for a local stack (scripts/site/build.mjs), false in a deployed one. */
declare const __LOCAL_STAGE__: boolean;

export interface Span {
  name: string;
  /** ms after the invocation started */
  start: number;
  dur: number;
  attrs: Record<string, string | number | boolean>;
  error: string | undefined;
}

export interface Invocation {
  service: string;
  function: string;
  route: string;
  status: number;
  startedAt: number;
  durationMs: number;
  spans: Span[];
  authorizer: { durationMs: number; startedAt: number | undefined; cached: boolean; sessionCache: string | undefined } | undefined;
}

export interface Refusal {
  at: number;
  reason: string;
  durationMs: number;
}

export interface Trace {
  traceId: string;
  invocations: Invocation[];
  refusals: Refusal[];
}

export type BreakerEventState = 'closed' | 'open' | 'half-open';

export interface BreakerTimeline {
  now: number;
  stateAtSince: BreakerEventState;
  events: { at: number; state: BreakerEventState }[];
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const isBreakerState = (value: unknown): value is BreakerEventState => value === 'closed' || value === 'open' || value === 'half-open';

function parseSpan(value: unknown): Span | null {
  if (!isRecord(value)) return null;
  const name = str(value['name']);
  const start = num(value['start']);
  const dur = num(value['dur']);
  if (name === undefined || start === undefined || dur === undefined) return null;
  const attrs: Span['attrs'] = {};
  if (isRecord(value['attrs'])) {
    for (const [key, attr] of Object.entries(value['attrs'])) {
      if (typeof attr === 'string' || typeof attr === 'number' || typeof attr === 'boolean') attrs[key] = attr;
    }
  }
  return { name, start, dur, attrs, error: str(value['error']) };
}

function parseInvocation(value: unknown): Invocation | null {
  if (!isRecord(value)) return null;
  const startedAt = num(value['startedAt']);
  const durationMs = num(value['durationMs']);
  const status = num(value['status']);
  if (startedAt === undefined || durationMs === undefined || status === undefined) return null;
  const authorizer = isRecord(value['authorizer']) ? value['authorizer'] : undefined;
  return {
    service: str(value['service']) ?? '',
    function: str(value['function']) ?? str(value['service']) ?? '?',
    route: str(value['route']) ?? '',
    status,
    startedAt,
    durationMs,
    spans: Array.isArray(value['spans']) ? value['spans'].map(parseSpan).filter((span) => span !== null) : [],
    authorizer: authorizer && {
      durationMs: num(authorizer['durationMs']) ?? 0,
      startedAt: num(authorizer['startedAt']),
      cached: authorizer['cached'] === true,
      sessionCache: str(authorizer['sessionCache']),
    },
  };
}

function parseRefusal(value: unknown): Refusal | null {
  if (!isRecord(value)) return null;
  const at = num(value['at']);
  return at === undefined ? null : { at, reason: str(value['reason']) ?? '?', durationMs: num(value['durationMs']) ?? 0 };
}

async function getJson(path: string): Promise<unknown> {
  try {
    const res = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
    return res.ok && res.headers.get('Content-Type')?.includes('application/json') ? await res.json() : null;
  } catch {
    return null;
  }
}

/** The trace of one request of the log; null when no collector answers (a deployed site, or plain `serverless offline`). */
export async function fetchTrace(entry: LogEntry): Promise<Trace | null> {
  if (!__LOCAL_STAGE__) return null;
  const query = new URLSearchParams();
  if (entry.tokenHash) {
    query.set('token', entry.tokenHash);
    query.set('from', String(entry.startedAt));
    query.set('to', String(entry.startedAt + entry.durationMs));
  }
  const body = await getJson(`/_local/traces/${entry.traceId}${query.size > 0 ? `?${query}` : ''}`);
  if (!isRecord(body) || !Array.isArray(body['invocations'])) return null;
  const invocations = body['invocations'].map(parseInvocation).filter((invocation) => invocation !== null);
  const refusals = Array.isArray(body['refusals']) ? body['refusals'].map(parseRefusal).filter((refusal) => refusal !== null) : [];
  return { traceId: entry.traceId, invocations: invocations.sort((a, b) => a.startedAt - b.startedAt), refusals };
}

/** The breaker's transitions since `since` (epoch ms), as the orders function logged them; null without a collector. */
export async function fetchBreakerTimeline(since: number): Promise<BreakerTimeline | null> {
  if (!__LOCAL_STAGE__) return null;
  const body = await getJson(`/_local/breaker?since=${Math.floor(since)}`);
  if (!isRecord(body) || !isBreakerState(body['stateAtSince']) || !Array.isArray(body['events'])) return null;
  const events = body['events'].flatMap((event) => {
    const at = isRecord(event) ? num(event['at']) : undefined;
    const state = isRecord(event) ? event['state'] : undefined;
    return at !== undefined && isBreakerState(state) ? [{ at, state }] : [];
  });
  return { now: num(body['now']) ?? Date.now(), stateAtSince: body['stateAtSince'], events };
}
