import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { type Clock, systemClock } from '../../lib/clock';
import { lambdaXRayHeader, runInvocation, startInvocation } from '../../lib/trace';
import { AuthError } from '../auth/errors';
import type { TokenService } from '../auth/ports';
import { decisionContext } from './decision';
import { allowPolicy, bearerToken } from './policy';

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
    const refuse = (keys: Record<string, unknown>): Error => {
      log.info('token refused', { ...keys, requestId, durationMs: elapsed(started) });
      return unauthorized();
    };
    const token = bearerToken(event.authorizationToken);
    if (!token) throw refuse({ reason: 'MALFORMED_HEADER' });
    let username: string;
    try {
      username = (await tokens.verifyAccessToken(token)).username;
    } catch (error) {
      if (error instanceof AuthError) throw refuse({ reason: error.code });
      log.error('token verification failed', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        requestId,
        durationMs: elapsed(started),
      });
      throw unauthorized();
    }
    const durationMs = elapsed(started);
    log.info('token accepted', { requestId, durationMs });
    return allowPolicy(username, event.methodArn, decisionContext({ durationMs, decidedAtMs: clock.now(), requestId }));
  };

  return async (event: APIGatewayTokenAuthorizerEvent, context?: Pick<Context, 'awsRequestId'>): Promise<APIGatewayAuthorizerResult> => {
    const requestId = context?.awsRequestId ?? 'unknown';
    // Deployed, Lambda gives the authorizer the request's X-Ray trace, so its lines carry the trace id;
    // locally it has none (no headers reach a TOKEN authorizer), and its lines are joined by request id.
    const xrayHeader = lambdaXRayHeader();
    if (!xrayHeader) return decide(event, requestId);
    return runInvocation(startInvocation({ traceparent: undefined, xrayHeader }), () => decide(event, requestId));
  };
}

const elapsed = (started: number): number => Math.round((performance.now() - started) * 10) / 10;
