import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** The token of an `Authorization: Bearer <token>` header; undefined for any other shape. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
}

/**
 * `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` → every method and
 * path of that API stage. API Gateway caches the policy by token: a policy naming only
 * the first route would deny the token's other routes until the cache expires.
 */
export function apiWildcardArn(methodArn: string): string {
  const parts = methodArn.split(':');
  const [apiId, stage] = (parts[5] ?? '').split('/');
  if (parts.length !== 6 || !apiId || !stage) return methodArn;
  return `${parts.slice(0, 5).join(':')}:${apiId}/${stage}/*/*`;
}

/** Allow with the caller's name in the context (context values must be strings, numbers or booleans), and `extra` context. */
export function allowPolicy(username: string, methodArn: string, extra: Record<string, string> = {}): APIGatewayAuthorizerResult {
  return {
    principalId: username,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: apiWildcardArn(methodArn) }],
    },
    context: { ...extra, username },
  };
}
