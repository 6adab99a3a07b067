import { describe, expect, it } from '@jest/globals';
import { childOf, formatTraceparent, newSpanId, newTraceId, parseTraceparent, parseXRayHeader } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads a valid version-00 header, sampled or not', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: false });
    expect(parseTraceparent(` 00-${TRACE}-${SPAN}-03 `)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
  });

  it('reads a future version by its first four fields, extra fields included', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-comes-next`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
  });

  const invalid: Array<[string, string | undefined]> = [
    ['no header', undefined],
    ['an empty header', ''],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with an extra field', `00-${TRACE}-${SPAN}-01-extra`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a short span id', `00-${TRACE}-${SPAN.slice(1)}-01`],
    ['non-hex flags', `00-${TRACE}-${SPAN}-0x`],
    ['an X-Ray header', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'],
  ];
  it.each(invalid)('refuses %s (the caller starts a new trace)', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe('formatTraceparent and new ids', () => {
  it('writes what parseTraceparent reads', () => {
    const context = { traceId: TRACE, spanId: SPAN, sampled: true };
    expect(formatTraceparent(context)).toBe(`00-${TRACE}-${SPAN}-01`);
    expect(parseTraceparent(formatTraceparent({ ...context, sampled: false }))).toEqual({ ...context, sampled: false });
  });

  it('makes valid, distinct ids', () => {
    const traces = new Set(Array.from({ length: 50 }, newTraceId));
    const spans = new Set(Array.from({ length: 50 }, newSpanId));
    expect(traces.size).toBe(50);
    expect(spans.size).toBe(50);
    for (const traceId of traces) for (const spanId of spans) expect(parseTraceparent(formatTraceparent({ traceId, spanId, sampled: true }))).toBeDefined();
  });

  it('gives a child the same trace and flags under a new span id', () => {
    const parent = { traceId: TRACE, spanId: SPAN, sampled: false };
    const child = childOf(parent);
    expect(child).toEqual({ traceId: TRACE, spanId: expect.stringMatching(/^[0-9a-f]{16}$/), sampled: false });
    expect(child.spanId).not.toBe(SPAN);
  });
});

describe('parseXRayHeader', () => {
  it('maps the X-Ray root to the W3C trace id by joining its two parts, with the parent and the sampling decision', () => {
    expect(parseXRayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      parentId: '53995c3f42cd8ad8',
      sampled: true,
    });
  });

  it('accepts fields in any order, a lineage, an open sampling decision, and no parent', () => {
    expect(parseXRayHeader('Sampled=0;Lineage=a87bd80c:1|68fd508a:5;Root=1-5759e988-bd862e3fe1be46a994272793')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      parentId: undefined,
      sampled: false,
    });
    expect(parseXRayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?')?.sampled).toBeUndefined();
  });

  it.each([
    undefined,
    '',
    'Parent=53995c3f42cd8ad8',
    'Root=2-5759e988-bd862e3fe1be46a994272793',
    'Root=1-5759e98-bd862e3fe1be46a9942727930',
    'Root=1-00000000-000000000000000000000000',
  ])('refuses %p', (header) => {
    expect(parseXRayHeader(header)).toBeUndefined();
  });

  it('drops a malformed parent but keeps the trace', () => {
    expect(parseXRayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=xyz')?.parentId).toBeUndefined();
  });
});
