import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { SignJWT } from 'jose';
import { createTokenService } from '../auth/tokens';
import { createAuthorizer } from './authorizer';
import { apiWildcardArn, bearerToken } from './policy';

const SECRET = 's'.repeat(40);
const SETTINGS = { secret: SECRET, issuer: 'serverless-shop/auth', audience: 'serverless-shop/api', accessTokenTtlSeconds: 3600 };
const METHOD_ARN = 'arn:aws:execute-api:eu-west-3:123456789012:abc123/prod/POST/api/orders';
const NOW = Date.UTC(2026, 5, 1, 12);
const clock = { now: () => NOW };

function setup() {
  const lines: Array<{ message: string; keys: unknown }> = [];
  const log = {
    info: (message: string, keys: unknown) => lines.push({ message, keys }),
    error: (message: string, keys: unknown) => lines.push({ message, keys }),
  };
  const tokens = createTokenService(SETTINGS, clock);
  const authorize = createAuthorizer(tokens, log as never);
  const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken });
  return { tokens, authorize, event, lines };
}

const sign = (claims: Record<string, unknown>, options: { secret?: string; typ?: string; exp?: number } = {}) =>
  new SignJWT({ token_use: 'access', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: options.typ ?? 'at+jwt' })
    .setSubject('alice')
    .setIssuer(SETTINGS.issuer)
    .setAudience(SETTINGS.audience)
    .setIssuedAt(Math.floor(NOW / 1000) - 60)
    .setExpirationTime(options.exp ?? Math.floor(NOW / 1000) + 600)
    .sign(createSecretKey(Buffer.from(options.secret ?? SECRET)));

const unsigned = () =>
  [
    Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url'),
    Buffer.from(JSON.stringify({ sub: 'alice', token_use: 'access', iss: SETTINGS.issuer, aud: SETTINGS.audience, exp: NOW / 1000 + 600, iat: NOW / 1000 })).toString('base64url'),
    '',
  ].join('.');

describe('the token authorizer', () => {
  it('allows a valid access token for the whole API stage and passes the username on', async () => {
    const { tokens, authorize, event } = setup();
    const { token } = await tokens.issueAccessToken('alice');
    const result = await authorize(event(`Bearer ${token}`));
    expect(result).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-3:123456789012:abc123/prod/*/*' }],
      },
      context: { username: 'alice' },
    });
  });

  const refused: Array<{ description: string; header: () => Promise<string> | string; reason: string }> = [
    { description: 'an empty header', header: () => '', reason: 'MALFORMED_HEADER' },
    { description: 'another scheme', header: async () => `Basic ${await sign({})}`, reason: 'MALFORMED_HEADER' },
    { description: 'a bare token without Bearer', header: () => sign({}), reason: 'MALFORMED_HEADER' },
    { description: 'garbage', header: () => 'Bearer not.a.jwt', reason: 'TOKEN_INVALID' },
    { description: 'an expired token', header: async () => `Bearer ${await sign({}, { exp: NOW / 1000 - 1 })}`, reason: 'TOKEN_EXPIRED' },
    { description: 'alg: none', header: () => `Bearer ${unsigned()}`, reason: 'TOKEN_INVALID' },
    { description: 'a token signed with another key', header: async () => `Bearer ${await sign({}, { secret: 'o'.repeat(40) })}`, reason: 'TOKEN_INVALID' },
    { description: 'a token of another use', header: async () => `Bearer ${await sign({ token_use: 'refresh' })}`, reason: 'TOKEN_INVALID' },
    { description: 'a refresh token (opaque string)', header: () => 'Bearer q3R0x6lB0yWw2W0n3vY3fH0kqkQm4j5mH1yXx8l0bVQ', reason: 'TOKEN_INVALID' },
  ];

  it.each(refused)('throws exactly Error("Unauthorized") for $description', async ({ header, reason }) => {
    const { authorize, event, lines } = setup();
    const error = await authorize(event(await header())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Unauthorized');
    expect(lines).toEqual([{ message: 'token refused', keys: { reason } }]);
  });

  it('still answers Unauthorized (never a 500) when verification itself breaks', async () => {
    const lines: string[] = [];
    const authorize = createAuthorizer(
      { verifyAccessToken: async () => Promise.reject(new Error('SSM unreachable')) },
      { info: () => undefined, error: (message: string) => lines.push(message) } as never,
    );
    await expect(authorize({ type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: 'Bearer x.y.z' })).rejects.toThrow(/^Unauthorized$/);
    expect(lines).toEqual(['token verification failed']);
  });
});

describe('policy helpers', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Token abc', undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('widens a method ARN to every route of its stage, and leaves an odd ARN alone', () => {
    expect(apiWildcardArn('arn:aws:execute-api:us-east-1:random-account-id:random-api-id/test/GET/api/orders')).toBe(
      'arn:aws:execute-api:us-east-1:random-account-id:random-api-id/test/*/*',
    );
    expect(apiWildcardArn('not-an-arn')).toBe('not-an-arn');
  });
});
