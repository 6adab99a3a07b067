// The trace of one request of the log, as a waterfall: the browser's request, API Gateway and its
// authorizer, each function that ran (orders, then the bank it called) and their spans — validation,
// pricing, every DynamoDB call, the bank call with the breaker's state before and after.
import type { LogEntry } from './api';
import { h, replaceChildren } from './dom';
import { t } from './i18n';
import { observe } from './lessons';
import { fetchTrace, type Invocation, type Span, type Trace } from './local-traces';
import { pt } from './panel-i18n';

/** A trace is complete within a second of the answer (the log lines travel through the starter). */
const COMPLETE_AFTER_MS = 1200;
const POLL_MS = 250;

type Tone = 'browser' | 'gateway' | 'authorizer' | 'function' | 'bank' | 'db' | 'step' | 'refused';

interface Bar {
  label: string;
  start: number;
  dur: number;
  depth: number;
  tone: Tone;
  kind: string;
  error?: boolean;
}

type View = { kind: 'idle' } | { kind: 'loading'; entry: LogEntry } | { kind: 'ready'; entry: LogEntry; trace: Trace | null; complete: boolean };

export const traceSection = h('div', { attrs: { 'data-testid': 'panel-trace' } });
let view: View = { kind: 'idle' };
let loadId = 0;

const barTones: Record<Tone, string> = {
  browser: 'bg-slate-400',
  gateway: 'bg-slate-500',
  authorizer: 'bg-violet-400',
  function: 'bg-indigo-400',
  bank: 'bg-sky-400',
  db: 'bg-emerald-400',
  step: 'bg-slate-300',
  refused: 'bg-rose-400',
};

const round = (ms: number): number => Math.round(ms * 10) / 10;
const breakerWord = (state: unknown): string => (state === 'closed' || state === 'open' || state === 'half-open' ? t(`panel.breaker.${state}`) : String(state ?? '?'));

function spanLabel(span: Span): string {
  const a = span.attrs;
  switch (span.name) {
    case 'validate':
      return pt('trace.validate');
    case 'price':
      return pt('trace.price', { items: String(a['items'] ?? '?') });
    case 'dynamodb':
      return pt('trace.dynamodb', { operation: String(a['operation'] ?? '?'), table: String(a['table'] ?? '') });
    case 'bank.call': {
      const before = a['breaker_before'];
      const after = a['breaker_after'];
      const breaker =
        before !== undefined && after !== undefined && before !== after
          ? pt('trace.breakerMove', { before: breakerWord(before), after: breakerWord(after) })
          : pt('trace.breakerStays', { state: breakerWord(after ?? before) });
      return `${pt('trace.bankCall', { outcome: String(a['outcome'] ?? '?') })} · ${breaker}`;
    }
    case 'bank.decision':
      return pt('trace.bankDecision', { decision: String(a['decision'] ?? '?') });
    case 'bank.latency':
      return pt('trace.bankLatency', { ms: String(a['injected_latency_ms'] ?? '?') });
    case 'bcrypt.compare':
    case 'bcrypt.hash':
      return pt('trace.bcrypt', { cost: String(a['cost'] ?? '?') });
    default:
      return span.name;
  }
}

function spanTone(span: Span): Tone {
  if (span.error !== undefined) return 'refused';
  if (span.name === 'dynamodb') return 'db';
  if (span.name.startsWith('bank')) return 'bank';
  return 'step';
}

function invocationBars(invocation: Invocation, origin: number): Bar[] {
  const bars: Bar[] = [];
  const authorizer = invocation.authorizer;
  if (authorizer) {
    const label = authorizer.cached
      ? pt('trace.authorizerCached')
      : `${pt('trace.authorizerAllowed')}${authorizer.sessionCache ? ` · ${pt('trace.sessionCache', { cache: authorizer.sessionCache })}` : ''}`;
    const start = authorizer.startedAt ?? invocation.startedAt - authorizer.durationMs;
    bars.push({ label, start: start - origin, dur: authorizer.cached ? 0 : authorizer.durationMs, depth: 1, tone: 'authorizer', kind: 'authorizer' });
  }
  const isBank = invocation.service === 'bank';
  bars.push({
    label: pt('trace.function', { function: invocation.function, route: invocation.route, status: invocation.status }),
    start: invocation.startedAt - origin,
    dur: invocation.durationMs,
    depth: isBank ? 2 : 1,
    tone: isBank ? 'bank' : 'function',
    kind: `fn-${invocation.function}`,
    error: invocation.status >= 500,
  });
  for (const span of invocation.spans) {
    const error = span.error === undefined ? '' : ` · ${pt('trace.error', { error: span.error })}`;
    bars.push({
      label: `${spanLabel(span)}${error}`,
      start: invocation.startedAt + span.start - origin,
      dur: span.dur,
      depth: isBank ? 3 : 2,
      tone: spanTone(span),
      kind: span.name,
      error: span.error !== undefined,
    });
  }
  return bars;
}

/** Did the API answer without running a function (API Gateway, or its authorizer, refused)? */
const refusedAtGateway = (entry: LogEntry, trace: Trace | null): boolean =>
  (entry.status === 401 || entry.status === 403) && !entry.path.startsWith('/auth/') && (trace?.invocations.length ?? 0) === 0;

function bars(entry: LogEntry, trace: Trace | null): Bar[] {
  const origin = entry.startedAt;
  const browser: Bar = {
    label:
      entry.status === 0
        ? pt('trace.unreachable', { method: entry.method, path: entry.path })
        : pt('trace.browser', { method: entry.method, path: entry.path, status: entry.status }),
    start: 0,
    dur: entry.durationMs,
    depth: 0,
    tone: 'browser',
    kind: 'browser',
  };
  const result: Bar[] = [browser];
  if (refusedAtGateway(entry, trace)) {
    for (const refusal of trace?.refusals ?? []) {
      result.push({
        label: pt('trace.authorizerRefused', { reason: refusal.reason }),
        start: refusal.at - refusal.durationMs - origin,
        dur: refusal.durationMs,
        depth: 1,
        tone: 'refused',
        kind: 'authorizer',
        error: true,
      });
    }
    result.push({
      label: entry.bearer ? pt('trace.gatewayRefused', { status: entry.status }) : pt('trace.gatewayNoToken'),
      start: entry.durationMs,
      dur: 0,
      depth: 1,
      tone: 'gateway',
      kind: 'gateway',
      error: true,
    });
    return result;
  }
  for (const invocation of trace?.invocations ?? []) result.push(...invocationBars(invocation, origin));
  return result;
}

function serverTimingBars(entry: LogEntry): Bar[] {
  return entry.serverTiming.map((timing) => ({
    label: timing.description ? `${timing.name} (${timing.description})` : timing.name,
    start: 0,
    dur: timing.durationMs,
    depth: 1,
    tone: timing.name === 'db' ? 'db' : timing.name === 'bank' ? 'bank' : timing.name === 'authz' ? 'authorizer' : 'function',
    kind: `timing-${timing.name}`,
  }));
}

function barRow(bar: Bar, scale: number): HTMLLIElement {
  const start = Math.max(0, bar.start);
  const track = h('div', { class: 'relative h-2 rounded bg-slate-800' });
  const fill = h('div', { class: `absolute top-0 h-2 rounded ${barTones[bar.tone]}` });
  // Set through the CSSOM: the page's policy (style-src 'self') refuses inline style attributes.
  fill.style.left = `${Math.min(100, (start / scale) * 100)}%`;
  fill.style.width = `max(2px, ${Math.min(100, (bar.dur / scale) * 100)}%)`;
  track.append(fill);
  const indent = ['', 'pl-2', 'pl-4', 'pl-6'][bar.depth] ?? 'pl-6';
  return h(
    'li',
    {
      class: `${indent} py-0.5`,
      attrs: {
        'data-testid': `span-${bar.kind}`,
        'data-error': bar.error ? 'true' : undefined,
        'aria-label': pt('trace.row', { label: bar.label, start: round(start), dur: round(bar.dur) }),
      },
    },
    h(
      'div',
      { class: 'flex justify-between gap-2 text-[11px]' },
      h('span', { class: bar.error ? 'text-rose-300' : 'text-slate-200' }, bar.label),
      h('span', { class: 'shrink-0 text-slate-400 tabular-nums' }, `${round(bar.dur)} ms`),
    ),
    track,
  );
}

export function renderTrace(): void {
  const title = h('h3', { class: 'mb-2 text-sm font-semibold tracking-wide text-indigo-200 uppercase', attrs: { id: 'panel-trace-title' } }, pt('trace.title'));
  if (view.kind === 'idle') {
    replaceChildren(traceSection, title, h('p', { class: 'text-xs text-slate-300' }, pt('trace.none')));
    return;
  }
  const { entry } = view;
  const header = h('p', { class: 'mb-2 font-mono text-[11px] text-slate-400 break-all', attrs: { 'data-testid': 'trace-id' } }, pt('trace.id', { id: entry.traceId }));
  if (view.kind === 'loading') {
    replaceChildren(traceSection, title, header, h('p', { class: 'text-xs text-slate-300', attrs: { role: 'status' } }, pt('trace.loading')));
    return;
  }
  const { trace, complete } = view;
  const list = trace ? bars(entry, trace) : [bars(entry, null)[0] as Bar, ...serverTimingBars(entry)];
  const scale = Math.max(1, ...list.map((bar) => Math.max(0, bar.start) + bar.dur));
  const notes: HTMLElement[] = [];
  if (!trace) notes.push(h('p', { class: 'text-xs text-amber-200', attrs: { 'data-testid': 'trace-no-collector' } }, pt('trace.noCollector')));
  else if (refusedAtGateway(entry, trace)) {
    if (complete) notes.push(h('p', { class: 'text-xs font-semibold text-amber-200', attrs: { 'data-testid': 'trace-no-function' } }, pt('trace.noFunction')));
  } else if (trace.invocations.length === 0 && complete) notes.push(h('p', { class: 'text-xs text-slate-300' }, pt('trace.incomplete')));
  replaceChildren(
    traceSection,
    title,
    header,
    h(
      'ol',
      { class: 'space-y-0.5', attrs: { 'aria-label': pt('trace.caption'), 'data-complete': complete ? 'true' : 'false' } },
      ...list.map((bar) => barRow(bar, scale)),
    ),
    ...notes,
  );
}

/** Opens the trace of `entry`, reading it again until it is complete (a second after the answer). */
export async function showTrace(entry: LogEntry): Promise<void> {
  const id = ++loadId;
  view = { kind: 'loading', entry };
  renderTrace();
  const completeAt = entry.startedAt + entry.durationMs + COMPLETE_AFTER_MS;
  for (;;) {
    const trace = await fetchTrace(entry);
    if (id !== loadId) return;
    const complete = trace === null || Date.now() >= completeAt;
    view = { kind: 'ready', entry, trace, complete };
    renderTrace();
    if (complete) {
      if (trace && refusedAtGateway(entry, trace)) observe('trace-refused-no-function');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (id !== loadId) return;
  }
}
