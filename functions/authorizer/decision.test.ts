import { describe, expect, it } from '@jest/globals';
import { decisionContext, readDecision } from './decision';

describe('the authorizer’s decision in the context', () => {
  const context = decisionContext({ durationMs: 3.1234, decidedAtMs: 1_000_500, requestId: 'authz-1' });

  it('travels as strings (what a REST API hands its function)', () => {
    expect(context).toEqual({ authz_ms: '3.1', authz_at: '1000500', authz_request_id: 'authz-1' });
  });

  it('reads as fresh when made after the request arrived, and as cached when made before', () => {
    expect(readDecision(context, 1_000_400)).toEqual({ durationMs: 3.1, cached: false, requestId: 'authz-1' });
    expect(readDecision(context, 1_030_000)).toEqual({ durationMs: 3.1, cached: true, requestId: 'authz-1' });
    expect(readDecision(context, undefined)?.cached).toBe(false);
  });

  it('reads nothing from a context without a decision', () => {
    expect(readDecision({ username: 'alice' }, 1)).toBeUndefined();
    expect(readDecision({ authz_ms: 'x', authz_at: '1' }, 1)).toBeUndefined();
  });
});
