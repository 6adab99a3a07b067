import { describe, expect, it, jest } from '@jest/globals';
import type { Clock } from '../../lib/clock';
import { tokenAttacks, tokenForge } from '../../tests/support/forged-tokens';
import { AuthError } from './errors';
import { createTokenService, loadTokenSettings, readTokenConfig, type TokenSettings } from './tokens';

const settings: TokenSettings = {
  secret: 'a-test-secret-that-is-long-enough-for-hs256!',
  issuer: 'serverless-shop/auth',
  audience: 'serverless-shop/api',
  accessTokenTtlSeconds: 3600,
};
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function fakeClock(start = NOW): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

const { key, craft } = tokenForge({ secret: settings.secret, nowSeconds: Math.floor(NOW / 1000), subject: 'alice' });

async function verdict(token: string, clock = fakeClock()): Promise<string> {
  try {
    await createTokenService(settings, clock).verifyAccessToken(token);
    return 'valid';
  } catch (error) {
    return error instanceof AuthError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('access tokens', () => {
  it('issues an HS256 at+jwt that lives exactly one hour and names the user and the session', async () => {
    // Prepare
    const service = createTokenService(settings, fakeClock());
    // Act
    const { token, expiresIn } = await service.issueAccessToken('alice', 'session-1');
    const claims = await service.verifyAccessToken(token);
    // Assess
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(payload.exp - payload.iat).toBe(3600);
    expect(expiresIn).toBe(3600);
    expect(payload).toMatchObject({ sub: 'alice', sid: 'session-1', iss: settings.issuer, aud: settings.audience, token_use: 'access' });
    expect(claims).toMatchObject({ username: 'alice', sessionId: 'session-1' });
  });

  it('accepts a well-formed token signed with our key', async () => {
    expect(await verdict(await craft().sign(key))).toBe('valid');
  });

  it('reports an expired token as TOKEN_EXPIRED, one second past exp', async () => {
    const clock = fakeClock();
    const token = (await createTokenService(settings, clock).issueAccessToken('alice', 'session-1')).token;
    clock.advance(3601 * 1000);
    expect(await verdict(token, clock)).toBe('TOKEN_EXPIRED');
  });

  // The same table the end-to-end tests send through the authorizer (tests/support/forged-tokens.ts).
  const attacks = tokenAttacks({
    secret: settings.secret,
    nowSeconds: Math.floor(NOW / 1000),
    subject: 'alice',
    refreshToken: 'Wun8s63ZwcOmAoP9zMJ4PKXlK0sjk4G2PUH3cG2gTVY',
  });
  const invalidCases: Array<[string, string, () => Promise<string>]> = [
    ...attacks.map((attack): [string, string, () => Promise<string>] => [attack.description, attack.expected, attack.token]),
    ['garbage', 'TOKEN_INVALID', async () => 'not.a.jwt'],
    ['empty', 'TOKEN_INVALID', async () => ''],
  ];

  it.each(invalidCases)('rejects %s as %s', async (_name, expected, make) => {
    expect(await verdict(await make())).toBe(expected);
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

  describe('the access-token lifetime', () => {
    const ttl = (read: typeof readTokenConfig, value: string) => read({ ...base, JWT_SECRET: 's'.repeat(40), ACCESS_TOKEN_TTL_SECONDS: value }).accessTokenTtlSeconds;

    it('may go down to 10 s in a local build (short tokens, to watch one expire)', () => {
      expect(ttl(readTokenConfig, '10')).toBe(10);
      expect(() => ttl(readTokenConfig, '9')).toThrow(/ACCESS_TOKEN_TTL_SECONDS environment variable is invalid/);
    });

    it('never goes below 60 s in a deployed build', () => {
      // The minimum is fixed when the module loads, as `__LOCAL_STAGE__` is fixed when esbuild builds it.
      const local = globalThis as { __LOCAL_STAGE__?: boolean };
      let deployed: typeof readTokenConfig = readTokenConfig;
      local.__LOCAL_STAGE__ = false;
      try {
        jest.isolateModules(() => {
          deployed = (require('./tokens') as typeof import('./tokens')).readTokenConfig;
        });
      } finally {
        local.__LOCAL_STAGE__ = true;
      }
      expect(deployed).not.toBe(readTokenConfig);
      expect(ttl(deployed, '60')).toBe(60);
      expect(() => ttl(deployed, '59')).toThrow(/ACCESS_TOKEN_TTL_SECONDS environment variable is invalid/);
      expect(() => ttl(deployed, '10')).toThrow(/ACCESS_TOKEN_TTL_SECONDS environment variable is invalid/);
    });
  });
});
