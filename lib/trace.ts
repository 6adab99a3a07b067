import { AsyncLocalStorage } from 'node:async_hooks';
import * as z from 'zod/mini';
import { readConfig } from './config';
import { childOf, formatTraceparent, newSpanId, newTraceId, parseTraceparent, parseXRayHeader, type TraceContext } from './trace-context';

/**
 * The trace of the invocation running now. serverless-offline's in-process mode runs concurrent
 * invocations of one handler in one process, with one logger: per-invocation state therefore
 * lives in an AsyncLocalStorage, never in module variables or the logger's appended keys.
 */
export interface Invocation {
  /** This function's span: the trace it belongs to and its own span id. */
  trace: TraceContext;
  /** The caller's span, when the request named one. */
  parentSpanId: string | undefined;
  /** A valid `traceparent` the request carried but that is not this trace (deployed: X-Ray's root wins). */
  linkedTraceId: string | undefined;
  /** The X-Ray header Lambda gave this invocation, forwarded as is to the services it calls. */
  xrayHeader: string | undefined;
  /** Server-Timing entries by name (durations of one name add up). */
  timings: Map<string, { durationMs: number; description: string | undefined }>;
  /** Keys a route adds to the invocation's request log line. */
  requestKeys: Record<string, unknown>;
  /** When the invocation started: epoch ms, and `performance.now()` (span starts are offsets from it). */
  startedAt: number;
  startedMs: number;
  /** Off: no spans, no Server-Timing, no trace headers sent or answered (`TRACING=off`, local stages only). */
  tracing: boolean;
  /** Its spans, in the order they ended; at most `MAX_SPANS`, the others only counted. */
  spans: Span[];
  droppedSpans: number;
}

/** One timed step of an invocation, as its request line lists it (docs/tracing.md). */
export interface Span {
  name: string;
  /** ms after the invocation's start, and ms long (0.1 ms precision). */
  start: number;
  dur: number;
  attrs?: SpanAttrs;
  /** What failed: an error code (`VALIDATION_FAILED`) or an exception's name. */
  error?: string;
}

export type SpanAttrs = Record<string, string | number | boolean>;

/** Ends a span, adding `attrs` to those it started with. */
export type EndSpan = (attrs?: SpanAttrs, error?: string) => void;

/** A request line stays small whatever a route does: spans past this are counted, not kept. */
export const MAX_SPANS = 100;

/** The local-only switch (docs/tracing.md): every HTTP function reads it. */
export const tracingEnvSchema = z.object({
  TRACING: z._default(z.enum(['on', 'off']), 'on'),
});

/** On unless `TRACING=off` in a local build; a deployed build always traces (`__LOCAL_STAGE__` is fixed by esbuild). */
export function readTracing(env: Record<string, string | undefined> = process.env): boolean {
  return !__LOCAL_STAGE__ || readConfig(tracingEnvSchema, env).TRACING === 'on';
}

const invocations = new AsyncLocalStorage<Invocation>();

/**
 * The trace of a new invocation. Deployed, Lambda's `_X_AMZN_TRACE_ID` decides (so log lines, X-Ray
 * and the bank agree); otherwise a valid `traceparent` is continued; otherwise a new trace starts.
 */
export function startInvocation({
  traceparent,
  xrayHeader,
  tracing = true,
}: {
  traceparent: string | undefined;
  xrayHeader: string | undefined;
  tracing?: boolean;
}): Invocation {
  const incoming = parseTraceparent(traceparent);
  const xray = parseXRayHeader(xrayHeader);
  const spanId = newSpanId();
  const fresh = { timings: new Map(), requestKeys: {}, startedAt: Date.now(), startedMs: performance.now(), tracing, spans: [], droppedSpans: 0 };
  if (xray) {
    return {
      ...fresh,
      trace: { traceId: xray.traceId, spanId, sampled: xray.sampled ?? true },
      parentSpanId: xray.parentId,
      linkedTraceId: incoming && incoming.traceId !== xray.traceId ? incoming.traceId : undefined,
      xrayHeader,
    };
  }
  if (incoming) return { ...fresh, trace: { ...incoming, spanId }, parentSpanId: incoming.spanId, linkedTraceId: undefined, xrayHeader: undefined };
  return { ...fresh, trace: { traceId: newTraceId(), spanId, sampled: true }, parentSpanId: undefined, linkedTraceId: undefined, xrayHeader: undefined };
}

export const runInvocation = <T>(invocation: Invocation, work: () => T): T => invocations.run(invocation, work);

export const currentInvocation = (): Invocation | undefined => invocations.getStore();

/** The X-Ray header of this invocation when deployed; Lambda sets it per invocation, so it is read each time. */
export function lambdaXRayHeader(): string | undefined {
  // Lambda Managed Instances run invocations concurrently and keep it in the runtime's invoke store instead.
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } }).awslambda?.InvokeStore;
  return store?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
}

/** Adds a duration to this invocation's Server-Timing (nothing outside an invocation). */
export function recordTiming(name: string, durationMs: number, description?: string): void {
  const invocation = invocations.getStore();
  if (!invocation?.tracing) return;
  const { timings } = invocation;
  const previous = timings.get(name);
  timings.set(name, { durationMs: (previous?.durationMs ?? 0) + durationMs, description: description ?? previous?.description });
}

/** Adds keys to this invocation's request log line (nothing outside an invocation). */
export function addRequestLogKeys(keys: Record<string, unknown>): void {
  const invocation = invocations.getStore();
  if (invocation) Object.assign(invocation.requestKeys, keys);
}

/**
 * Headers for a call to another service: a `traceparent` naming a new child span of this
 * invocation's, and the X-Ray header when deployed (the next API Gateway continues that trace).
 */
export function outgoingTraceHeaders(): Record<string, string> {
  const invocation = invocations.getStore();
  if (!invocation?.tracing) return {};
  return {
    traceparent: formatTraceparent(childOf(invocation.trace)),
    ...(invocation.xrayHeader ? { 'x-amzn-trace-id': invocation.xrayHeader } : {}),
  };
}

/**
 * Starts a span of this invocation; undefined outside an invocation or with tracing off, so a caller
 * writes `end?.(attrs)` and builds no attrs for nothing.
 */
export function startSpan(name: string, attrs?: SpanAttrs): EndSpan | undefined {
  const invocation = invocations.getStore();
  if (!invocation?.tracing) return undefined;
  const started = performance.now();
  return (more, error) => {
    if (invocation.spans.length >= MAX_SPANS) {
      invocation.droppedSpans++;
      return;
    }
    const all = more ? (attrs ? { ...attrs, ...more } : more) : attrs;
    invocation.spans.push({
      name,
      start: round(started - invocation.startedMs),
      dur: round(performance.now() - started),
      ...(all ? { attrs: all } : {}),
      ...(error ? { error } : {}),
    });
  };
}

/**
 * Runs `work` (synchronous or not) under a span. `work` may add attrs as it learns them; an error it
 * throws ends the span with that error's code (or name) and is thrown on.
 */
export function withSpan<T>(name: string, attrs: SpanAttrs | undefined, work: (add: (attrs: SpanAttrs) => void) => T): T {
  const end = startSpan(name, attrs);
  if (!end) return work(ignore);
  let added: SpanAttrs | undefined;
  const add = (more: SpanAttrs) => {
    added = { ...added, ...more };
  };
  const fail = (error: unknown): never => {
    end(added, spanError(error));
    throw error;
  };
  let result: T;
  try {
    result = work(add);
  } catch (error) {
    return fail(error);
  }
  if (!isPromise(result)) {
    end(added);
    return result;
  }
  return result.then((value) => {
    end(added);
    return value;
  }, fail) as T;
}

const ignore = (): void => undefined;

// Not `instanceof Promise`: a promise from another realm (node:timers/promises under jest) is one too.
const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** A span's `error`: the code of an error that has one (HttpError), else its name. */
function spanError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'Error';
}

/** The invocation's spans in the order they started, for its request line. */
export const spansOf = (invocation: Invocation): Span[] => invocation.spans.toSorted((a, b) => a.start - b.start);

/** `authz;dur=1.2, bank;dur=30.5, total;dur=41.0` (https://www.w3.org/TR/server-timing/). */
export function serverTiming(invocation: Invocation, totalMs: number): string {
  const entries = [...invocation.timings, ['total', { durationMs: totalMs, description: undefined }] as const];
  return entries
    .map(
      ([name, { durationMs, description }]) => `${name};dur=${round(durationMs)}${description === undefined ? '' : `;desc="${description.replace(/["\\]/g, '\\$&')}"`}`,
    )
    .join(', ');
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
