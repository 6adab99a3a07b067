/**
 * What the authorizer tells the function behind it about its decision. A TOKEN authorizer gets
 * no request headers (so no `traceparent`): its part of a trace travels in the context API
 * Gateway passes to the function — and caches with the policy, which is how a cached answer shows.
 */
export interface DecisionContext {
  /** The verification's duration, in ms. */
  authz_ms: string;
  /** When the decision was made (epoch ms): older than the request means API Gateway's cache answered. */
  authz_at: string;
  /** The authorizer invocation's request id, which its own log line carries. */
  authz_request_id: string;
  /** Context values reach a REST API's function as strings; an index signature keeps it a plain context map. */
  [key: string]: string;
}

export function decisionContext(decision: { durationMs: number; decidedAtMs: number; requestId: string }): DecisionContext {
  return { authz_ms: String(Math.round(decision.durationMs * 10) / 10), authz_at: String(decision.decidedAtMs), authz_request_id: decision.requestId };
}

export interface AuthorizationReport {
  durationMs: number;
  /** API Gateway answered from its cache: the authorizer did not run for this request. */
  cached: boolean;
  requestId: string;
}

/** The decision as the function behind the authorizer reads it; undefined when the context does not hold one. */
export function readDecision(context: Readonly<Record<string, string>>, receivedAtMs: number | undefined): AuthorizationReport | undefined {
  const durationMs = Number(context.authz_ms);
  const decidedAtMs = Number(context.authz_at);
  if (context.authz_ms === undefined || !Number.isFinite(durationMs) || !Number.isFinite(decidedAtMs)) return undefined;
  // The authorizer runs after API Gateway received the request; a decision from before it was cached.
  return { durationMs, cached: receivedAtMs !== undefined && decidedAtMs < receivedAtMs, requestId: context.authz_request_id ?? '' };
}
