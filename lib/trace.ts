import { AsyncLocalStorage } from 'node:async_hooks';
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
}

const invocations = new AsyncLocalStorage<Invocation>();

/**
 * The trace of a new invocation. Deployed, Lambda's `_X_AMZN_TRACE_ID` decides (so log lines, X-Ray
 * and the bank agree); otherwise a valid `traceparent` is continued; otherwise a new trace starts.
 */
export function startInvocation({ traceparent, xrayHeader }: { traceparent: string | undefined; xrayHeader: string | undefined }): Invocation {
  const incoming = parseTraceparent(traceparent);
  const xray = parseXRayHeader(xrayHeader);
  const spanId = newSpanId();
  const fresh = { timings: new Map(), requestKeys: {} };
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
  const timings = invocations.getStore()?.timings;
  if (!timings) return;
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
  if (!invocation) return {};
  return {
    traceparent: formatTraceparent(childOf(invocation.trace)),
    ...(invocation.xrayHeader ? { 'x-amzn-trace-id': invocation.xrayHeader } : {}),
  };
}

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
