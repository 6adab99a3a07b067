import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { AuthError } from '../auth/errors';
import type { TokenService } from '../auth/ports';
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
export function createAuthorizer(tokens: Pick<TokenService, 'verifyAccessToken'>, log: Pick<Logger, 'info' | 'error'>) {
  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = bearerToken(event.authorizationToken);
    if (!token) {
      log.info('token refused', { reason: 'MALFORMED_HEADER' });
      throw unauthorized();
    }
    try {
      const claims = await tokens.verifyAccessToken(token);
      return allowPolicy(claims.username, event.methodArn);
    } catch (error) {
      if (error instanceof AuthError) log.info('token refused', { reason: error.code });
      else log.error('token verification failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      throw unauthorized();
    }
  };
}
