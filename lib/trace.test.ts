import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  addRequestLogKeys,
  currentInvocation,
  MAX_SPANS,
  outgoingTraceHeaders,
  readTracing,
  recordTiming,
  runInvocation,
  serverTiming,
  spansOf,
  startInvocation,
  startSpan,
  withSpan,
} from './trace';
import { parseTraceparent } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00f067aa0ba902b7';
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('startInvocation', () => {
  it('continues a valid traceparent under a span of its own', () => {
    const { trace, parentSpanId } = startInvocation({ traceparent: `00-${TRACE}-${CALLER}-01`, xrayHeader: undefined });
    expect(trace).toEqual({ traceId: TRACE, spanId: expect.stringMatching(/^[0-9a-f]{16}$/), sampled: true });
    expect(trace.spanId).not.toBe(CALLER);
    expect(parentSpanId).toBe(CALLER);
  });

  it('starts a new sampled trace without a valid traceparent', () => {
    const first = startInvocation({ traceparent: 'garbage', xrayHeader: undefined });
    const second = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    expect(first.trace).toEqual({ traceId: expect.stringMatching(/^[0-9a-f]{32}$/), spanId: expect.stringMatching(/^[0-9a-f]{16}$/), sampled: true });
    expect(first.trace.traceId).not.toBe(second.trace.traceId);
    expect(first.parentSpanId).toBeUndefined();
  });

  it('takes the trace id from X-Ray when deployed, and keeps the client’s other trace id as a link', () => {
    const invocation = startInvocation({ traceparent: `00-${TRACE}-${CALLER}-01`, xrayHeader: XRAY });
    expect(invocation.trace.traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(invocation.parentSpanId).toBe('53995c3f42cd8ad8');
    expect(invocation.linkedTraceId).toBe(TRACE);
  });
});

describe('an invocation’s context', () => {
  it('sends a child traceparent of the same trace, a new span per call, and the X-Ray header when deployed', () => {
    const local = startInvocation({ traceparent: `00-${TRACE}-${CALLER}-01`, xrayHeader: undefined });
    const [first, second] = runInvocation(local, () => [outgoingTraceHeaders(), outgoingTraceHeaders()]);
    const parsed = [parseTraceparent(first?.traceparent), parseTraceparent(second?.traceparent)];
    expect(parsed.map((context) => context?.traceId)).toEqual([TRACE, TRACE]);
    expect(new Set([parsed[0]?.spanId, parsed[1]?.spanId, local.trace.spanId, CALLER]).size).toBe(4);
    expect(first?.['x-amzn-trace-id']).toBeUndefined();

    const deployed = startInvocation({ traceparent: undefined, xrayHeader: XRAY });
    expect(runInvocation(deployed, outgoingTraceHeaders)['x-amzn-trace-id']).toBe(XRAY);
  });

  it('keeps concurrent invocations apart (one process, one logger, as serverless-offline in-process runs them)', async () => {
    const run = (traceparent: string, pauseMs: number) =>
      runInvocation(startInvocation({ traceparent, xrayHeader: undefined }), async () => {
        recordTiming('bank', pauseMs);
        await sleep(pauseMs);
        addRequestLogKeys({ pauseMs });
        return { traceId: currentInvocation()?.trace.traceId, timings: [...(currentInvocation()?.timings.keys() ?? [])], keys: currentInvocation()?.requestKeys };
      });
    const [a, b] = await Promise.all([run(`00-${'a'.repeat(32)}-${CALLER}-01`, 20), run(`00-${'b'.repeat(32)}-${CALLER}-01`, 5)]);
    expect(a).toEqual({ traceId: 'a'.repeat(32), timings: ['bank'], keys: { pauseMs: 20 } });
    expect(b).toEqual({ traceId: 'b'.repeat(32), timings: ['bank'], keys: { pauseMs: 5 } });
    expect(currentInvocation()).toBeUndefined();
    expect(outgoingTraceHeaders()).toEqual({});
  });

  it('adds up the durations of one name, keeps a description, and ends Server-Timing with the total', () => {
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    runInvocation(invocation, () => {
      recordTiming('authz', 0, 'cached');
      recordTiming('bank', 10.04);
      recordTiming('bank', 2.5);
    });
    expect(serverTiming(invocation, 20.26)).toBe('authz;dur=0;desc="cached", bank;dur=12.5, total;dur=20.3');
  });
});

describe('spans', () => {
  /** A clock the test moves: span starts and durations are read from `performance.now()`. */
  function clock(startMs = 1000) {
    let now = startMs;
    const spy = jest.spyOn(performance, 'now').mockImplementation(() => now);
    return { advance: (ms: number) => (now += ms), restore: () => spy.mockRestore() };
  }

  it('records each span from the invocation’s start, to 0.1 ms, with its attrs and its error', () => {
    // Prepare
    const time = clock();
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    // Act
    runInvocation(invocation, () => {
      time.advance(1.26);
      const end = startSpan('dynamodb', { operation: 'PutItem' });
      time.advance(3.04);
      end?.({ attempts: 2 }, 'ConditionalCheckFailedException');
      time.advance(0.5);
      startSpan('validate')?.();
    });
    time.restore();
    // Assess
    expect(invocation.spans).toEqual([
      { name: 'dynamodb', start: 1.3, dur: 3, attrs: { operation: 'PutItem', attempts: 2 }, error: 'ConditionalCheckFailedException' },
      { name: 'validate', start: 4.8, dur: 0 },
    ]);
    expect(invocation.startedAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('lists a request line’s spans in the order they started, not the order they ended', () => {
    const time = clock();
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    runInvocation(invocation, () => {
      const outer = startSpan('bank.decision');
      time.advance(1);
      startSpan('dynamodb')?.();
      time.advance(1);
      outer?.();
    });
    time.restore();
    expect(spansOf(invocation).map((span) => [span.name, span.start])).toEqual([
      ['bank.decision', 0],
      ['dynamodb', 1],
    ]);
  });

  it('keeps at most MAX_SPANS spans per invocation and counts the others', () => {
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    runInvocation(invocation, () => {
      for (let i = 0; i < MAX_SPANS + 5; i++) startSpan('dynamodb')?.();
    });
    expect(invocation.spans).toHaveLength(MAX_SPANS);
    expect(invocation.droppedSpans).toBe(5);
  });

  it('records nothing outside an invocation, nor with tracing off (no spans, timings or outgoing headers)', () => {
    expect(startSpan('validate')).toBeUndefined();
    const off = startInvocation({ traceparent: `00-${TRACE}-${CALLER}-01`, xrayHeader: undefined, tracing: false });
    const seen = runInvocation(off, () => {
      recordTiming('db', 5);
      return { span: startSpan('validate'), headers: outgoingTraceHeaders(), result: withSpan('price', undefined, () => 42) };
    });
    expect(seen).toEqual({ span: undefined, headers: {}, result: 42 });
    expect(off.spans).toEqual([]);
    expect(off.timings.size).toBe(0);
    // The lines of the invocation still carry its trace.
    expect(off.trace.traceId).toBe(TRACE);
  });

  it('times synchronous and asynchronous work, with the attrs it adds and the code of what it throws', async () => {
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    const refused = Object.assign(new Error('no'), { code: 'UNKNOWN_ARTICLE' });
    await runInvocation(invocation, async () => {
      expect(
        withSpan('price', { items: 2 }, (add) => {
          add({ total_cents: 650 });
          return 'priced';
        }),
      ).toBe('priced');
      expect(() =>
        withSpan('price', { items: 1 }, () => {
          throw refused;
        }),
      ).toThrow(refused);
      await expect(withSpan('bank.latency', { injected_latency_ms: 5 }, () => sleep(5))).resolves.toBeUndefined();
      await expect(withSpan('bank.decision', undefined, () => Promise.reject(new TypeError('boom')))).rejects.toThrow('boom');
    });
    expect(invocation.spans.map(({ name, attrs, error }) => ({ name, attrs, error }))).toEqual([
      { name: 'price', attrs: { items: 2, total_cents: 650 }, error: undefined },
      { name: 'price', attrs: { items: 1 }, error: 'UNKNOWN_ARTICLE' },
      { name: 'bank.latency', attrs: { injected_latency_ms: 5 }, error: undefined },
      { name: 'bank.decision', attrs: undefined, error: 'TypeError' },
    ]);
    expect(invocation.spans[2]?.dur).toBeGreaterThanOrEqual(4);
  });
});

describe('the TRACING switch', () => {
  const local = globalThis as { __LOCAL_STAGE__?: boolean };
  afterEach(() => {
    local.__LOCAL_STAGE__ = true;
  });

  it('is on by default, and off with TRACING=off on a local build', () => {
    expect([readTracing({}), readTracing({ TRACING: 'on' }), readTracing({ TRACING: 'off' })]).toEqual([true, true, false]);
    expect(() => readTracing({ TRACING: 'no' })).toThrow(/TRACING environment variable is invalid/);
  });

  it('is always on in a deployed build, whatever TRACING says', () => {
    local.__LOCAL_STAGE__ = false;
    expect([readTracing({ TRACING: 'off' }), readTracing({ TRACING: 'no' })]).toEqual([true, true]);
  });
});
