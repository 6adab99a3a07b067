import { createHash, createSecretKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { SignJWT } from 'jose';
import { inMemoryRefreshTokens } from '../auth/in-memory';
import type { SessionFamilies } from '../auth/sessions';
import { verifyingSessions } from '../auth/sessions';
import { createTokenService } from '../auth/tokens';
import { createAuthorizer } from './authorizer';
import { apiWildcardArn, bearerToken } from './policy';
import { rememberSessionFamilies, rememberVerifiedTokens } from './verified-tokens';

const SECRET = 's'.repeat(40);
const SETTINGS = { secret: SECRET, issuer: 'serverless-shop/auth', audience: 'serverless-shop/api', accessTokenTtlSeconds: 3600 };
const METHOD_ARN = 'arn:aws:execute-api:eu-west-3:123456789012:abc123/prod/POST/api/orders';
const NOW = Date.UTC(2026, 5, 1, 12);
const CACHE_MS = 10_000;
const SESSION = 'session-1';

/** The authorizer as handler.ts composes it, over in-memory sessions and a clock the test moves. */
function setup(options: { families?: SessionFamilies } = {}) {
  let now = NOW;
  const clock = { now: () => now };
  const lines: Array<{ message: string; keys: unknown }> = [];
  // Durations vary from run to run: a line keeps only that it had one.
  const record = (message: string, { durationMs, ...keys }: Record<string, unknown>) => lines.push({ message, keys: { ...keys, timed: typeof durationMs === 'number' } });
  const log = { info: record, error: record };
  const store = inMemoryRefreshTokens();
  void store.createFamily({ tokenHash: 'h1', familyId: SESSION, username: 'alice', state: 'active', expiresAt: NOW / 1000 + 86_400 }, 'now');
  const tokens = createTokenService(SETTINGS, clock);
  const families = rememberSessionFamilies(options.families ?? store, { ttlMs: CACHE_MS, clock });
  const authorizer = createAuthorizer(verifyingSessions(rememberVerifiedTokens(tokens, { clock }), families, clock, { consistent: false }), log as never, clock);
  const authorize = (event: APIGatewayTokenAuthorizerEvent) => authorizer(event, { awsRequestId: 'authz-1' });
  const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken });
  return { tokens, store, authorize, event, lines, advance: (ms: number) => (now += ms) };
}

/** What the lines must carry instead of the token: the first 16 hex digits of its SHA-256 (docs/tracing.md). */
const hashOf = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
/** The keys every authorizer line has, for a call made at NOW with this token (or malformed header). */
const lineKeys = (hashed: string) => ({ function: 'authorizer', requestId: 'authz-1', startedAt: NOW, tokenHash: hashOf(hashed), timed: true });

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'Allow',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

const sign = (claims: Record<string, unknown>, options: { secret?: string; typ?: string; exp?: number } = {}) =>
  new SignJWT({ token_use: 'access', sid: SESSION, ...claims })
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
    Buffer.from(JSON.stringify({ sub: 'alice', token_use: 'access', iss: SETTINGS.issuer, aud: SETTINGS.audience, exp: NOW / 1000 + 600, iat: NOW / 1000 })).toString(
      'base64url',
    ),
    '',
  ].join('.');

describe('the token authorizer', () => {
  it('allows a valid access token for the whole API stage and passes the username and its decision on', async () => {
    const { tokens, authorize, event, lines } = setup();
    const { token } = await tokens.issueAccessToken('alice', SESSION);
    const result = await authorize(event(`Bearer ${token}`));
    const again = await authorize(event(`Bearer ${token}`));
    expect(result).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-3:123456789012:abc123/prod/*/*' }],
      },
      context: { username: 'alice', authz_ms: expect.stringMatching(/^\d+(\.\d)?$/), authz_at: String(NOW), authz_request_id: 'authz-1' },
    });
    expect(again.principalId).toBe('alice');
    // The first call read the session from the table, the second from the container's memory.
    expect(lines).toEqual([
      { message: 'token accepted', keys: { ...lineKeys(token), sessionCache: 'miss' } },
      { message: 'token accepted', keys: { ...lineKeys(token), sessionCache: 'hit' } },
    ]);
  });

  it('names the token by a 16-hex-digit hash on its lines, never by the token itself', async () => {
    const { tokens, authorize, event, lines } = setup();
    const { token } = await tokens.issueAccessToken('alice', SESSION);
    await authorize(event(`Bearer ${token}`));
    await authorize(event(`Bearer ${token}x`)).catch(() => undefined);

    const [accepted, refused] = lines.map((line) => line.keys as Record<string, unknown>);
    expect(accepted?.tokenHash).toMatch(/^[0-9a-f]{16}$/);
    expect(refused?.tokenHash).toMatch(/^[0-9a-f]{16}$/);
    expect(accepted?.tokenHash).not.toBe(refused?.tokenHash);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
  });

  // `session`: the session check ran (the token itself was good), so the line says how it was answered.
  const refused: Array<{ description: string; header: () => Promise<string> | string; reason: string; session?: 'miss' }> = [
    { description: 'an empty header', header: () => '', reason: 'MALFORMED_HEADER' },
    { description: 'another scheme', header: async () => `Basic ${await sign({})}`, reason: 'MALFORMED_HEADER' },
    { description: 'a bare token without Bearer', header: () => sign({}), reason: 'MALFORMED_HEADER' },
    { description: 'garbage', header: () => 'Bearer not.a.jwt', reason: 'TOKEN_INVALID' },
    { description: 'an expired token', header: async () => `Bearer ${await sign({}, { exp: NOW / 1000 - 1 })}`, reason: 'TOKEN_EXPIRED' },
    { description: 'alg: none', header: () => `Bearer ${unsigned()}`, reason: 'TOKEN_INVALID' },
    { description: 'a token signed with another key', header: async () => `Bearer ${await sign({}, { secret: 'o'.repeat(40) })}`, reason: 'TOKEN_INVALID' },
    { description: 'a token of another use', header: async () => `Bearer ${await sign({ token_use: 'refresh' })}`, reason: 'TOKEN_INVALID' },
    { description: 'a refresh token (opaque string)', header: () => 'Bearer q3R0x6lB0yWw2W0n3vY3fH0kqkQm4j5mH1yXx8l0bVQ', reason: 'TOKEN_INVALID' },
    { description: 'a token without sid', header: async () => `Bearer ${await sign({ sid: undefined })}`, reason: 'TOKEN_INVALID' },
    {
      description: 'a token of a session that does not exist',
      header: async () => `Bearer ${await sign({ sid: 'no-such-session' })}`,
      reason: 'TOKEN_REVOKED',
      session: 'miss',
    },
  ];

  it.each(refused)('throws exactly Error("Unauthorized") for $description', async ({ header, reason, session }) => {
    const { authorize, event, lines } = setup();
    const value = await header();
    const error = await authorize(event(value)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Unauthorized');
    // A malformed header is hashed whole; otherwise the token after `Bearer `.
    const hashed = reason === 'MALFORMED_HEADER' ? value : value.slice('Bearer '.length);
    expect(lines).toEqual([{ message: 'token refused', keys: { reason, ...lineKeys(hashed), ...(session ? { sessionCache: session } : {}) } }]);
  });

  it('refuses a logged-out session’s token within the cache bound, and no later', async () => {
    // Prepare: one Allow remembers the session as open.
    const { tokens, store, authorize, event, lines, advance } = setup();
    const { token } = await tokens.issueAccessToken('alice', SESSION);
    const header = `Bearer ${token}`;
    expect(await outcome(authorize(event(header)))).toBe('Allow');

    // Act
    await store.revokeFamily(SESSION, 'now');
    advance(CACHE_MS - 1);
    const withinBound = await outcome(authorize(event(header)));
    advance(1);
    const atBound = await outcome(authorize(event(header)));

    // Assess
    expect([withinBound, atBound]).toEqual(['Allow', 'Unauthorized']);
    const at = (ms: number) => ({ ...lineKeys(token), startedAt: NOW + ms });
    expect(lines).toEqual([
      { message: 'token accepted', keys: { ...at(0), sessionCache: 'miss' } },
      { message: 'token accepted', keys: { ...at(CACHE_MS - 1), sessionCache: 'hit' } },
      { message: 'token refused', keys: { reason: 'TOKEN_REVOKED', ...at(CACHE_MS), sessionCache: 'miss' } },
    ]);
  });

  it('reads a session once per cache bound, however many requests use it', async () => {
    const { tokens, store, event } = setup();
    const reads: string[] = [];
    const counting: SessionFamilies = {
      findFamily: (id, options) => {
        reads.push(id);
        return store.findFamily(id, options);
      },
    };
    const counted = setup({ families: counting });
    const header = `Bearer ${(await tokens.issueAccessToken('alice', SESSION)).token}`;

    for (let i = 0; i < 5; i++) expect(await outcome(counted.authorize(event(header)))).toBe('Allow');
    const afterFive = reads.length;
    counted.advance(CACHE_MS);
    expect(await outcome(counted.authorize(event(header)))).toBe('Allow');

    expect([afterFive, reads.length]).toEqual([1, 2]);
  });

  it('reads a session not found by the cheap read again, consistently (a token used just after login)', async () => {
    const { tokens, store, event } = setup();
    const reads: string[] = [];
    const lagging: SessionFamilies = {
      findFamily: async (id, options) => {
        reads.push(options?.consistent ? 'consistent' : 'eventual');
        return options?.consistent ? store.findFamily(id) : undefined;
      },
    };
    const { authorize } = setup({ families: lagging });

    expect(await outcome(authorize(event(`Bearer ${(await tokens.issueAccessToken('alice', SESSION)).token}`)))).toBe('Allow');
    expect(reads).toEqual(['eventual', 'consistent']);
  });

  it('fails closed with an ERROR line (never a 500, never an Allow) when the session cannot be read', async () => {
    const { tokens, event } = setup();
    const down: SessionFamilies = { findFamily: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' })) };
    const { authorize, lines } = setup({ families: down });
    const { token } = await tokens.issueAccessToken('alice', SESSION);

    const error = await authorize(event(`Bearer ${token}`)).catch((e: unknown) => e);

    expect((error as Error).message).toBe('Unauthorized');
    expect(lines).toEqual([{ message: 'token verification failed', keys: { error: 'TimeoutError: connect ECONNREFUSED', ...lineKeys(token), sessionCache: 'miss' } }]);
  });

  it('still answers Unauthorized (never a 500) when verification itself breaks', async () => {
    const lines: string[] = [];
    const authorize = createAuthorizer({ verifyAccessToken: async () => Promise.reject(new Error('SSM unreachable')) }, {
      info: () => undefined,
      error: (message: string) => lines.push(message),
    } as never);
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
