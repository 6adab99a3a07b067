import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import { AuthError } from './errors';
import { type Clock, createTokenService, loadTokenSettings, readTokenConfig, type TokenSettings } from './tokens';

const settings: TokenSettings = {
  secret: 'a-test-secret-that-is-long-enough-for-hs256!',
  issuer: 'serverless-shop/auth',
  audience: 'serverless-shop/api',
  accessTokenTtlSeconds: 3600,
};
const key = createSecretKey(Buffer.from(settings.secret));
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function fakeClock(start = NOW): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** A token shaped like ours, with `header` and `claims` overriding ours (undefined removes one). */
function craft(header: Record<string, unknown> = {}, claims: Record<string, unknown> = {}) {
  const iat = Math.floor(NOW / 1000);
  const payload: Record<string, unknown> = { token_use: 'access', sub: 'alice', iss: settings.issuer, aud: settings.audience, iat, exp: iat + 3600, ...claims };
  const protectedHeader: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt', ...header };
  for (const record of [payload, protectedHeader]) for (const name of Object.keys(record)) if (record[name] === undefined) delete record[name];
  return new SignJWT(payload).setProtectedHeader(protectedHeader as { alg: string });
}

async function verdict(token: string, clock = fakeClock()): Promise<string> {
  try {
    await createTokenService(settings, clock).verifyAccessToken(token);
    return 'valid';
  } catch (error) {
    return error instanceof AuthError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('access tokens', () => {
  it('issues an HS256 at+jwt that lives exactly one hour and names the user', async () => {
    // Prepare
    const service = createTokenService(settings, fakeClock());
    // Act
    const { token, expiresIn } = await service.issueAccessToken('alice');
    const claims = await service.verifyAccessToken(token);
    // Assess
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(expiresIn).toBe(3600);
    expect(payload).toMatchObject({ sub: 'alice', iss: settings.issuer, aud: settings.audience, token_use: 'access' });
    expect(claims.username).toBe('alice');
  });

  it('accepts a well-formed token signed with our key', async () => {
    expect(await verdict(await craft().sign(key))).toBe('valid');
  });

  it('reports an expired token as TOKEN_EXPIRED, one second past exp', async () => {
    const clock = fakeClock();
    const token = (await createTokenService(settings, clock).issueAccessToken('alice')).token;
    clock.advance(3601 * 1000);
    expect(await verdict(token, clock)).toBe('TOKEN_EXPIRED');
  });

  const otherKey = createSecretKey(Buffer.from('another-secret-that-is-also-long-enough!!'));
  const { privateKey: rsaKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const iat = Math.floor(NOW / 1000);
  const invalidCases: Array<[string, () => Promise<string>]> = [
    ['alg: none', async () => new UnsecuredJWT({ token_use: 'access', sub: 'alice', iss: settings.issuer, aud: settings.audience, iat, exp: iat + 60 }).encode()],
    ['HS256 signed with another secret', () => craft().sign(otherKey)],
    ['HS512 with our secret (algorithm is pinned)', () => craft({ alg: 'HS512' }).sign(key)],
    ['RS256 signed with an attacker key', () => craft({ alg: 'RS256' }).sign(rsaKey)],
    ['a tampered payload', async () => {
      const [h, , s] = (await craft().sign(key)).split('.');
      const forged = base64url.encode(JSON.stringify({ token_use: 'access', sub: 'admin', iss: settings.issuer, aud: settings.audience, iat, exp: iat + 3600 }));
      return `${h}.${forged}.${s}`;
    }],
    ['nbf in the future', () => craft({}, { nbf: iat + 600 }).sign(key)],
    ['no exp claim', () => craft({}, { exp: undefined }).sign(key)],
    ['no sub claim', () => craft({}, { sub: undefined }).sign(key)],
    ['another issuer', () => craft({}, { iss: 'evil' }).sign(key)],
    ['another audience', () => craft({}, { aud: 'other-api' }).sign(key)],
    ['no typ header', () => craft({ typ: undefined }).sign(key)],
    ['a token whose token_use is not access', () => craft({}, { token_use: 'refresh' }).sign(key)],
    ['an opaque refresh token', async () => 'Wun8s63ZwcOmAoP9zMJ4PKXlK0sjk4G2PUH3cG2gTVY'],
    ['a 12 KB token', () => craft({}, { pad: 'A'.repeat(12 * 1024) }).sign(key)],
    ['jku / jwk / kid headers pointing elsewhere, signed with another key', () =>
      craft({ jku: 'https://evil.example/jwks.json', kid: 'evil', jwk: { kty: 'oct', k: 'ZXZpbA' } }).sign(otherKey)],
    ['garbage', async () => 'not.a.jwt'],
    ['empty', async () => ''],
  ];

  it.each(invalidCases)('rejects %s as TOKEN_INVALID', async (_name, make) => {
    expect(await verdict(await make())).toBe('TOKEN_INVALID');
  });
});

describe('token configuration', () => {
  const base = { JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' };

  it('refuses to start without a secret, naming the variable', () => {
    expect(() => readTokenConfig({ ...base })).toThrow(/JWT_SECRET environment variable is not set/);
  });

  it('refuses a secret shorter than 256 bits', () => {
    expect(() => readTokenConfig({ ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET environment variable is invalid: must be at least 32 bytes/);
  });

  it('reads the secret from SSM Parameter Store when JWT_SECRET_PARAMETER is set', async () => {
    const config = readTokenConfig({ ...base, JWT_SECRET_PARAMETER: '/shop/prod/jwt-secret' });
    const asked: string[] = [];
    const settings = await loadTokenSettings(config, async (name) => {
      asked.push(name);
      return 's'.repeat(40);
    });
    expect(asked).toEqual(['/shop/prod/jwt-secret']);
    expect(settings.secret).toBe('s'.repeat(40));
    await expect(loadTokenSettings(config, async () => 'too short')).rejects.toThrow(/shorter than 32 bytes/);
  });
});
