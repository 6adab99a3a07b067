import { createHmac, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base64url, SignJWT, UnsecuredJWT } from 'jose';

/**
 * Forged access tokens: what an attacker can build without our secret, or with a real token
 * in hand. One table, used by the token service's unit tests and by the end-to-end tests
 * through the authorizer, so both layers are held to the same list.
 */

export interface ForgeOptions {
  /** Our signing secret (tests only: a forger with the secret signs tokens that look like ours). */
  secret: string;
  /** The clock the verifier will use, in epoch seconds. */
  nowSeconds: number;
  subject?: string;
  /** The `sid` claim (a session id); a forger without a real session makes one up. */
  sessionId?: string;
  issuer?: string;
  audience?: string;
}

const ISSUER = 'serverless-shop/auth';
const AUDIENCE = 'serverless-shop/api';

export function tokenForge(options: ForgeOptions) {
  const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  const iat = options.nowSeconds;
  /** A token shaped like ours, with `header` and `claims` overriding ours (undefined removes one). */
  const craft = (header: Record<string, unknown> = {}, claims: Record<string, unknown> = {}) => {
    const payload: Record<string, unknown> = {
      token_use: 'access',
      sub: options.subject ?? 'test',
      sid: options.sessionId ?? 'forged-session',
      iss: options.issuer ?? ISSUER,
      aud: options.audience ?? AUDIENCE,
      iat,
      exp: iat + 3600,
      ...claims,
    };
    const protectedHeader: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt', ...header };
    for (const record of [payload, protectedHeader]) for (const name of Object.keys(record)) if (record[name] === undefined) delete record[name];
    return new SignJWT(payload).setProtectedHeader(protectedHeader as { alg: string });
  };
  return { key, iat, craft };
}

export interface TokenAttack {
  description: string;
  /** What the token service must answer: every forgery is invalid, an expired token is expired. */
  expected: 'TOKEN_INVALID' | 'TOKEN_EXPIRED';
  token(): Promise<string>;
}

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));

/** Signs by hand, for headers a JWT library refuses to produce. */
function signHs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function tokenAttacks(options: ForgeOptions & { refreshToken: string }): TokenAttack[] {
  const { key, iat, craft } = tokenForge(options);
  const claims = { token_use: 'access', sub: options.subject ?? 'test', sid: options.sessionId ?? 'forged-session', iss: ISSUER, aud: AUDIENCE, iat, exp: iat + 3600 };
  const otherKey = createSecretKey(Buffer.from('another-secret-that-is-also-long-enough!!'));
  const { privateKey: rsaPrivate, publicKey: rsaPublic } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPublicPem: KeyObject = createSecretKey(Buffer.from(rsaPublic.export({ type: 'spki', format: 'pem' })));
  const invalid = (description: string, token: () => Promise<string>): TokenAttack => ({ description, expected: 'TOKEN_INVALID', token });

  return [
    invalid('alg: none', async () => new UnsecuredJWT(claims).encode()),
    invalid('alg: "nOnE" with an empty signature', async () => `${segment({ alg: 'nOnE', typ: 'at+jwt' })}.${segment(claims)}.`),
    invalid('HS256 signed with another secret', () => craft().sign(otherKey)),
    invalid('HS512 with our secret (the algorithm is pinned)', () => craft({ alg: 'HS512' }).sign(key)),
    invalid('RS256 signed with an attacker’s RSA key', () => craft({ alg: 'RS256' }).sign(rsaPrivate)),
    invalid('key confusion: HS256 keyed with an RSA public key that its jwk header names', () => craft({ jwk: rsaPublic.export({ format: 'jwk' }) }).sign(rsaPublicPem)),
    invalid('a tampered payload (sub: admin) under a real signature', async () => {
      const [header, , signature] = (await craft().sign(key)).split('.');
      return `${header}.${segment({ ...claims, sub: 'admin' })}.${signature}`;
    }),
    { description: 'an expired token', expected: 'TOKEN_EXPIRED', token: () => craft({}, { iat: iat - 7200, exp: iat - 3600 }).sign(key) },
    invalid('nbf in the future', () => craft({}, { nbf: iat + 600 }).sign(key)),
    invalid('no exp claim', () => craft({}, { exp: undefined }).sign(key)),
    invalid('exp given as a string', () => craft({}, { exp: String(iat + 3600) }).sign(key)),
    invalid('no sub claim', () => craft({}, { sub: undefined }).sign(key)),
    invalid('no sid claim (a token of no session)', () => craft({}, { sid: undefined }).sign(key)),
    invalid('sid given as a number', () => craft({}, { sid: 42 }).sign(key)),
    invalid('another issuer', () => craft({}, { iss: 'evil' }).sign(key)),
    invalid('another audience', () => craft({}, { aud: 'other-api' }).sign(key)),
    invalid('no typ header', () => craft({ typ: undefined }).sign(key)),
    invalid('typ: JWT instead of at+jwt', () => craft({ typ: 'JWT' }).sign(key)),
    invalid('token_use: refresh', () => craft({}, { token_use: 'refresh' }).sign(key)),
    invalid('a critical header extension the verifier does not know, signed with our key', async () =>
      signHs256({ alg: 'HS256', typ: 'at+jwt', crit: ['x-bound'], 'x-bound': true }, claims, options.secret),
    ),
    invalid('the refresh token as bearer', async () => options.refreshToken),
    // 9 KB of claims, 12 KB once base64url-encoded.
    invalid('a 12 KB token signed with our key', () => craft({}, { pad: 'A'.repeat(9 * 1024) }).sign(key)),
    invalid('jku / jwk / kid headers pointing elsewhere, signed with another key', () =>
      craft({ jku: 'https://evil.example/jwks.json', kid: 'evil', jwk: { kty: 'oct', k: base64url.encode('evil') } }).sign(otherKey),
    ),
    invalid('kid with a path traversal and SQL, signed with another key', () => craft({ kid: "../../../../dev/null' OR '1'='1" }).sign(otherKey)),
    invalid('five segments (a JWE-looking token)', async () => `${await craft().sign(key)}.x.y`),
  ];
}
