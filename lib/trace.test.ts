import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { addRequestLogKeys, currentInvocation, outgoingTraceHeaders, recordTiming, runInvocation, serverTiming, startInvocation } from './trace';
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
