import { randomHex } from './random';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): parsing and formatting of
 * `traceparent`, and the mapping from AWS X-Ray trace headers. Pure functions, no state.
 */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the span this context names. */
  spanId: string;
  sampled: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;
/** version-traceid-parentid-flags; a future version may append `-…` fields, version 00 may not. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

const isTraceId = (value: string): boolean => TRACE_ID.test(value) && !ALL_ZERO.test(value);
const isSpanId = (value: string): boolean => SPAN_ID.test(value) && !ALL_ZERO.test(value);

/** The context a `traceparent` header carries; undefined when absent or invalid (the caller starts a new trace). */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const match = TRACEPARENT.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, version = '', traceId = '', spanId = '', flags = '', rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (!isTraceId(traceId) || !isSpanId(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** `00-<trace id>-<span id>-<flags>`: the format of `traceparent` and of `traceresponse`. */
export function formatTraceparent({ traceId, spanId, sampled }: TraceContext): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** A span of the same trace below `parent`, e.g. an outgoing call. */
export const childOf = (parent: TraceContext): TraceContext => ({ ...parent, spanId: newSpanId() });

export interface XRayTrace {
  /** The X-Ray root mapped to W3C: `1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793`. */
  traceId: string;
  /** The segment that called us (`Parent=`), when given. */
  parentId: string | undefined;
  /** `Sampled=1`; undefined when the header leaves the decision open. */
  sampled: boolean | undefined;
}

/**
 * `Root=1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy;Parent=…;Sampled=1` (the `_X_AMZN_TRACE_ID` Lambda
 * is given, or an `X-Amzn-Trace-Id` header). The X-Ray id is 8 hex digits of epoch seconds then
 * 24 random ones; together they are the 32-hex W3C trace id, which is how X-Ray itself maps them.
 */
export function parseXRayHeader(header: string | undefined): XRayTrace | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get('root') ?? '');
  if (!root) return undefined;
  const traceId = `${root[1]}${root[2]}`;
  if (!isTraceId(traceId)) return undefined;
  const parent = fields.get('parent');
  const sampled = fields.get('sampled');
  return {
    traceId,
    parentId: parent !== undefined && isSpanId(parent) ? parent : undefined,
    sampled: sampled === '1' ? true : sampled === '0' ? false : undefined,
  };
}
