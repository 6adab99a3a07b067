import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { type Clock, systemClock } from '../../lib/clock';
import { lambdaXRayHeader, runInvocation, startInvocation } from '../../lib/trace';
import { AuthError } from '../auth/errors';
import type { TokenService } from '../auth/ports';
import { decisionContext } from './decision';
import { allowPolicy, bearerToken } from './policy';
import { noteSessionCache, type SessionCache } from './verified-tokens';

/**
 * API Gateway turns exactly this error message into a 401; any other thrown error or
 * message becomes a 500. Every refusal therefore throws this one error.
 */
const unauthorized = (): Error => new Error('Unauthorized');

/**
 * A TOKEN authorizer over auth's own verification (`verifyAccessToken`, then the session
 * check): no HTTP call to auth. It fails closed: when the check itself breaks (SSM or DynamoDB
 * unreachable) the token is refused with the same 401 and an ERROR line, never a 500 and
 * never an Allow it could not confirm.
 */
export function createAuthorizer(tokens: Pick<TokenService, 'verifyAccessToken'>, log: Pick<Logger, 'info' | 'error'>, clock: Clock = systemClock) {
  const decide = async (event: APIGatewayTokenAuthorizerEvent, requestId: string): Promise<APIGatewayAuthorizerResult> => {
    const started = performance.now();
    const startedAt = clock.now();
    const header = event.authorizationToken ?? '';
    const token = bearerToken(header);
    const note: { sessionCache?: SessionCache } = {};
    // On every line of this decision: how the site and the local collector find it (docs/tracing.md).
    const keys = () => ({ function: 'authorizer', requestId, durationMs: elapsed(started), startedAt, tokenHash: tokenHash(token ?? header), ...note });
    const refuse = (reason: string): Error => {
      log.info('token refused', { reason, ...keys() });
      return unauthorized();
    };
    if (!token) throw refuse('MALFORMED_HEADER');
    let username: string;
    try {
      username = (await noteSessionCache(note, () => tokens.verifyAccessToken(token))).username;
    } catch (error) {
      if (error instanceof AuthError) throw refuse(error.code);
      log.error('token verification failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ...keys() });
      throw unauthorized();
    }
    const accepted = keys();
    log.info('token accepted', accepted);
    return allowPolicy(username, event.methodArn, decisionContext({ durationMs: accepted.durationMs, decidedAtMs: clock.now(), requestId }));
  };

  return async (event: APIGatewayTokenAuthorizerEvent, context?: Pick<Context, 'awsRequestId'>): Promise<APIGatewayAuthorizerResult> => {
    const requestId = context?.awsRequestId ?? 'unknown';
    // Deployed, Lambda gives the authorizer the request's X-Ray trace, so its lines carry the trace id;
    // locally it has none (no headers reach a TOKEN authorizer), and its lines are joined by request id.
    const xrayHeader = lambdaXRayHeader();
    if (!xrayHeader) return decide(event, requestId);
    // No request line to carry spans: the invocation is there for the trace id only.
    return runInvocation(startInvocation({ traceparent: undefined, xrayHeader, tracing: false }), () => decide(event, requestId));
  };
}

const elapsed = (started: number): number => Math.round((performance.now() - started) * 10) / 10;

/** Names a token on log lines without giving it away: the first 16 hex digits of its SHA-256. */
const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16);
