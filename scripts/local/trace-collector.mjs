// The local trace collector (docs/trace-collector.md): reads the JSON log lines the two
// serverless-offline processes print (the `request` lines, the authorizer's `token accepted` /
// `token refused` lines, the breaker's lines) and answers the site's GET /_local/* requests from
// memory. Local stacks only: it writes nothing anywhere, and every store below is bounded.

/** How much it keeps. Every store is bounded; the oldest (or least recently used) entry goes first. */
const COLLECTOR_LIMITS = Object.freeze({
  /** Traces kept, least recently used first out. */
  traces: 2000,
  /** Invocations kept per trace (a retried or looping client could make one trace grow without end). */
  invocationsPerTrace: 64,
  /** Invocations kept across all traces. */
  invocations: 10_000,
  spansPerInvocation: 64,
  attrsPerSpan: 16,
  /** Longer strings (span names, attribute values, routes) are cut. */
  stringLength: 256,
  /** Longer lines are not parsed. */
  lineLength: 64 * 1024,
  /** "token accepted" lines, by request id, oldest out. */
  acceptedTokens: 5000,
  /** "token refused" lines, a ring. */
  refusals: 2000,
  /** Breaker events older than this are dropped. */
  breakerWindowMs: 10 * 60 * 1000,
  breakerEvents: 1000,
});

const TRACE_ID = /^[0-9a-f]{32}$/;
const TOKEN_HASH = /^[0-9a-f]{16}$/;
/** Epoch ms, fractions allowed (a browser's start plus a measured duration). */
const EPOCH_MS = /^\d{1,15}(\.\d{1,6})?$/;
const BREAKER_MESSAGES = new Map([
  ['bank breaker opened', 'open'],
  ['bank breaker half-open', 'half-open'],
  ['bank breaker closed', 'closed'],
]);

/** @typedef {'shop' | 'bank'} Service */
/** @typedef {'closed' | 'open' | 'half-open'} BreakerState */
/** @typedef {{ name: string, start: number, dur: number, attrs?: Record<string, string | number | boolean>, error?: string }} Span */
/**
 * @typedef {{ service: Service, function: string, route: string, status: number, startedAt: number, durationMs: number,
 *   spanId: string, parentSpanId?: string, spans: Span[], authz?: { requestId: string, ms?: number, cached: boolean } }} StoredInvocation
 */
/** @typedef {{ requestId: string, durationMs: number, startedAt?: number, cached: boolean, sessionCache?: string }} Authorizer */
/** @typedef {{ at: number, requestId: string, reason: string, durationMs: number }} Refusal */
/** @typedef {{ at: number, state: BreakerState }} BreakerEvent */
/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */

const finite = (value, fallback = 0) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const text = (value) => (typeof value === 'string' ? value.slice(0, COLLECTOR_LIMITS.stringLength) : undefined);

/** A JSON object, or undefined for anything else serverless-offline prints (banners, "Duration" lines, stack traces). */
function parseLine(line) {
  if (typeof line !== 'string' || line.length > COLLECTOR_LIMITS.lineLength || line.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const value = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** When the logged work started (epoch ms): `startedAt`, else the line's `timestamp` less its `durationMs`. */
function startOf(entry) {
  if (typeof entry.startedAt === 'number' && Number.isFinite(entry.startedAt)) return entry.startedAt;
  const at = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : Number.NaN;
  return Number.isFinite(at) ? at - finite(entry.durationMs) : undefined;
}

/** @returns {Span[]} the spans as the contract shapes them, cut to the limits */
function spansOf(value) {
  if (!Array.isArray(value)) return [];
  const spans = [];
  for (const span of value.slice(0, COLLECTOR_LIMITS.spansPerInvocation)) {
    if (span === null || typeof span !== 'object' || typeof span.name !== 'string') continue;
    /** @type {Span} */
    const kept = { name: text(span.name), start: finite(span.start), dur: finite(span.dur) };
    if (span.attrs !== null && typeof span.attrs === 'object' && !Array.isArray(span.attrs)) {
      /** @type {Record<string, string | number | boolean>} */
      const attrs = {};
      for (const [key, attr] of Object.entries(span.attrs).slice(0, COLLECTOR_LIMITS.attrsPerSpan)) {
        if (typeof attr === 'string') attrs[key.slice(0, 64)] = text(attr);
        else if ((typeof attr === 'number' && Number.isFinite(attr)) || typeof attr === 'boolean') attrs[key.slice(0, 64)] = attr;
      }
      kept.attrs = attrs;
    }
    if (typeof span.error === 'string') kept.error = text(span.error);
    spans.push(kept);
  }
  return spans;
}

/**
 * @param {{ now?: () => number }} [options]  `now`: the clock (epoch ms) for the breaker's window and answer
 */
export function createTraceCollector({ now = Date.now } = {}) {
  /** Insertion order is recency: a trace that gets a new invocation (or is read) moves to the end. @type {Map<string, StoredInvocation[]>} */
  const traces = new Map();
  let invocationCount = 0;
  /** @type {Map<string, { durationMs: number, startedAt?: number, sessionCache?: string }>} */
  const accepted = new Map();
  /** @type {Array<Refusal & { tokenHash: string }>} */
  const refusals = [];
  let refusalNext = 0;
  /** @type {BreakerEvent[]} oldest first */
  const breakerEvents = [];
  /** The state before the oldest event kept (the breaker starts closed). @type {BreakerState} */
  let breakerBefore = 'closed';
  let linesRead = 0;
  let linesKept = 0;

  function addInvocation(service, entry) {
    const startedAt = startOf(entry);
    if (startedAt === undefined) return false;
    /** @type {StoredInvocation} */
    const invocation = {
      service,
      function: text(entry.function) ?? '',
      route: text(entry.route) ?? '',
      status: finite(entry.status),
      startedAt,
      durationMs: finite(entry.durationMs),
      spanId: text(entry.spanId) ?? '',
      spans: spansOf(entry.spans),
    };
    const parentSpanId = text(entry.parentSpanId);
    if (parentSpanId) invocation.parentSpanId = parentSpanId;
    const authzRequestId = text(entry.authzRequestId);
    if (authzRequestId)
      invocation.authz = { requestId: authzRequestId, ms: typeof entry.authzMs === 'number' ? entry.authzMs : undefined, cached: entry.authzCached === true };

    const list = traces.get(entry.traceId) ?? [];
    traces.delete(entry.traceId);
    traces.set(entry.traceId, list);
    list.push(invocation);
    invocationCount += 1;
    if (list.length > COLLECTOR_LIMITS.invocationsPerTrace) {
      list.shift();
      invocationCount -= 1;
    }
    while (traces.size > COLLECTOR_LIMITS.traces || invocationCount > COLLECTOR_LIMITS.invocations) {
      const [oldestId, oldest] = traces.entries().next().value;
      traces.delete(oldestId);
      invocationCount -= oldest.length;
    }
    return true;
  }

  function addAccepted(entry) {
    const requestId = text(entry.requestId);
    if (!requestId) return false;
    accepted.delete(requestId);
    accepted.set(requestId, { durationMs: finite(entry.durationMs), startedAt: startOf(entry), sessionCache: text(entry.sessionCache) });
    if (accepted.size > COLLECTOR_LIMITS.acceptedTokens) accepted.delete(accepted.keys().next().value);
    return true;
  }

  function addRefusal(entry) {
    const at = startOf(entry);
    if (at === undefined || typeof entry.tokenHash !== 'string') return false;
    const refusal = {
      at,
      requestId: text(entry.requestId) ?? '',
      reason: text(entry.reason) ?? '',
      durationMs: finite(entry.durationMs),
      tokenHash: entry.tokenHash.slice(0, 64),
    };
    if (refusals.length < COLLECTOR_LIMITS.refusals) refusals.push(refusal);
    else refusals[refusalNext] = refusal;
    refusalNext = (refusalNext + 1) % COLLECTOR_LIMITS.refusals;
    return true;
  }

  /** Drops the events out of the window (their last state becomes the state before the window). */
  function pruneBreaker() {
    const cutoff = now() - COLLECTOR_LIMITS.breakerWindowMs;
    while (breakerEvents.length > 0 && (breakerEvents[0].at < cutoff || breakerEvents.length > COLLECTOR_LIMITS.breakerEvents)) {
      breakerBefore = breakerEvents.shift().state;
    }
  }

  function addBreakerEvent(state, entry) {
    const parsed = typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : Number.NaN;
    const at = Number.isFinite(parsed) ? parsed : now();
    // Lines arrive in order from one process; keep the list sorted should two processes interleave.
    let index = breakerEvents.length;
    while (index > 0 && breakerEvents[index - 1].at > at) index -= 1;
    breakerEvents.splice(index, 0, { at, state });
    pruneBreaker();
    return true;
  }

  /**
   * One output line of a serverless-offline process. Lines that are not JSON objects are skipped
   * at the cost of one character test.
   * @param {Service} service
   * @param {string} line
   */
  function onLine(service, line) {
    linesRead += 1;
    const entry = parseLine(line);
    if (!entry) return;
    let kept = false;
    const message = entry.message;
    if (message === 'request') {
      if (typeof entry.traceId === 'string' && TRACE_ID.test(entry.traceId)) kept = addInvocation(service, entry);
    } else if (message === 'token accepted') {
      kept = addAccepted(entry);
    } else if (message === 'token refused') {
      kept = addRefusal(entry);
    } else if (BREAKER_MESSAGES.has(message)) {
      kept = addBreakerEvent(BREAKER_MESSAGES.get(message), entry);
    }
    if (kept) linesKept += 1;
  }

  /** @param {StoredInvocation} stored */
  function published(stored) {
    const { authz, ...invocation } = stored;
    if (!authz) return invocation;
    const line = authz.cached ? undefined : accepted.get(authz.requestId);
    /** @type {Authorizer} */
    const authorizer = line
      ? { requestId: authz.requestId, durationMs: line.durationMs, cached: false }
      : { requestId: authz.requestId, durationMs: authz.ms ?? 0, cached: authz.cached };
    if (line?.startedAt !== undefined) authorizer.startedAt = line.startedAt;
    if (line?.sessionCache) authorizer.sessionCache = line.sessionCache;
    return { ...invocation, authorizer };
  }

  /** @param {string} traceId @param {URLSearchParams} query @returns {[number, unknown]} status and body */
  function traceAnswer(traceId, query) {
    const token = query.get('token');
    const from = query.get('from');
    const to = query.get('to');
    if (token !== null && !TOKEN_HASH.test(token)) return [400, invalid('token doit être une empreinte de 16 chiffres hexadécimaux en minuscules.')];
    for (const [name, value] of [
      ['from', from],
      ['to', to],
    ]) {
      if (value !== null && !EPOCH_MS.test(value)) return [400, invalid(`${name} doit être un instant en millisecondes depuis l'époque Unix.`)];
    }
    const list = traces.get(traceId);
    if (list) {
      traces.delete(traceId);
      traces.set(traceId, list);
    }
    const invocations = (list ?? []).map(published).sort((a, b) => a.startedAt - b.startedAt);
    const low = from === null ? Number.NEGATIVE_INFINITY : Number(from) - 1000;
    const high = to === null ? Number.POSITIVE_INFINITY : Number(to) + 1000;
    const matching =
      token === null
        ? []
        : [...refusals.slice(refusalNext), ...refusals.slice(0, refusalNext)]
            .filter((refusal) => refusal.tokenHash === token && refusal.at >= low && refusal.at <= high)
            .map(({ at, requestId, reason, durationMs }) => ({ at, requestId, reason, durationMs }));
    return [200, { traceId, invocations, refusals: matching }];
  }

  /** @param {URLSearchParams} query @returns {[number, unknown]} status and body */
  function breakerAnswer(query) {
    const sinceText = query.get('since') ?? '0';
    if (!EPOCH_MS.test(sinceText)) return [400, invalid("since doit être un instant en millisecondes depuis l'époque Unix.")];
    const since = Number(sinceText);
    pruneBreaker();
    let stateAtSince = breakerBefore;
    for (const event of breakerEvents) if (event.at <= since) stateAtSince = event.state;
    return [200, { now: now(), stateAtSince, events: breakerEvents.filter((event) => event.at > since).map(({ at, state }) => ({ at, state })) }];
  }

  /**
   * Answers GET/HEAD /_local/* (JSON, never cached). Anything else under /_local is a JSON 404, or
   * 405 for another method.
   * @param {Request} req
   * @param {Response} res
   * @returns {boolean} true when it answered (the URL is under /_local), false to let the caller serve it
   */
  function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://collector.invalid');
    if (url.pathname !== '/_local' && !url.pathname.startsWith('/_local/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Seuls GET et HEAD sont acceptés.' }, { Allow: 'GET, HEAD' });
      return true;
    }
    const traceMatch = /^\/_local\/traces\/([^/]*)$/.exec(url.pathname);
    /** @type {[number, unknown]} */
    let answer;
    if (traceMatch) {
      answer = TRACE_ID.test(traceMatch[1])
        ? traceAnswer(traceMatch[1], url.searchParams)
        : [400, invalid('Identifiant de trace invalide : 32 chiffres hexadécimaux en minuscules attendus.')];
    } else if (url.pathname === '/_local/breaker') answer = breakerAnswer(url.searchParams);
    else if (url.pathname === '/_local/status') answer = [200, { collecting: true, traces: traces.size }];
    else answer = [404, { code: 'NOT_FOUND', message: 'Route inconnue.' }];
    send(req, res, answer[0], answer[1]);
    return true;
  }

  return {
    onLine,
    handle,
    /** What is held now, for a banner or a test. */
    stats: () => ({
      traces: traces.size,
      invocations: invocationCount,
      acceptedTokens: accepted.size,
      refusals: refusals.length,
      breakerEvents: breakerEvents.length,
      linesRead,
      linesKept,
    }),
  };
}

const invalid = (message) => ({ code: 'VALIDATION_FAILED', message });

/** @param {Request} req @param {Response} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
function send(req, res, status, body, headers = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(req.method === 'HEAD' ? undefined : json);
}
