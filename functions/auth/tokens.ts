import { randomUUID, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../lib/clock';
import { intFromEnv, readConfig } from '../../lib/config';
import { type FetchParameter, fetchSsmParameter, type ParameterSource } from '../../lib/parameters';
import { AuthError, MESSAGES } from './errors';
import type { TokenService } from './ports';

/**
 * Access tokens: HS256 JWTs, pinned algorithm, `typ: at+jwt`, a `token_use` claim, issuer
 * and audience, and a `sid` claim naming the login session. This module is the one signature
 * and claims check: `/auth/validate` and the API's token authorizer both call `verifyAccessToken`,
 * then check that the session is still open (sessions.ts).
 */
const ACCESS_TOKEN_ALGORITHM = 'HS256';
const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Far above any token we issue (~300 bytes); bigger input is rejected before parsing. */
const MAX_TOKEN_LENGTH = 4096;

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
}

/** Where the signing secret comes from: the environment (local stages) or SSM Parameter Store (deployed). */
type SecretSource = Exclude<ParameterSource, { from: 'none' }>;

const secretRule = z.string().check(z.refine((value) => Buffer.byteLength(value, 'utf8') >= 32, 'must be at least 32 bytes (256 bits) for HS256'));

/** Local builds may issue tokens short enough to watch one expire (docs/configuration.md); deployed ones never below a minute. */
const MIN_ACCESS_TOKEN_TTL_SECONDS = __LOCAL_STAGE__ ? 10 : 60;

/** The access-token settings, read by the auth function and the authorizer alike. */
export const tokenEnvSchema = z.object({
  JWT_SECRET: z.optional(secretRule),
  JWT_SECRET_PARAMETER: z.optional(z.string().check(z.regex(/^\/[\w./-]+$/, 'must be an SSM parameter name such as /shop/prod/jwt-secret'))),
  JWT_ISSUER: z._default(z.string().check(z.minLength(1)), 'serverless-shop/auth'),
  JWT_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'serverless-shop/api'),
  ACCESS_TOKEN_TTL_SECONDS: intFromEnv(3600, MIN_ACCESS_TOKEN_TTL_SECONDS, 86_400),
});

export function readTokenConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(tokenEnvSchema, env);
  let source: SecretSource;
  if (parsed.JWT_SECRET !== undefined) source = { from: 'env', value: parsed.JWT_SECRET };
  else if (parsed.JWT_SECRET_PARAMETER !== undefined) source = { from: 'ssm', name: parsed.JWT_SECRET_PARAMETER };
  else throw new Error('JWT_SECRET environment variable is not set (nor JWT_SECRET_PARAMETER, the SSM parameter holding it)');
  return { source, issuer: parsed.JWT_ISSUER, audience: parsed.JWT_AUDIENCE, accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS };
}

/** Resolves the secret (one SSM call per container on deployed stages) into complete settings. */
export async function loadTokenSettings(config: ReturnType<typeof readTokenConfig>, fetchParameter: FetchParameter = fetchSsmParameter): Promise<TokenSettings> {
  const { source, ...rest } = config;
  if (source.from === 'env') return { ...rest, secret: source.value };
  const value = await fetchParameter(source.name);
  const checked = secretRule.safeParse(value);
  if (!checked.success) throw new Error(`SSM parameter ${source.name} is missing or shorter than 32 bytes`);
  return { ...rest, secret: checked.data };
}

export function createTokenService(settings: TokenSettings, clock: Clock = systemClock): TokenService {
  // Imported once as a Web Crypto key, the form jose works with: given a KeyObject or bytes,
  // it converts the key on every call (≈ 0.04 ms, a third of a verification).
  const imported = webcrypto.subtle.importKey('raw', Buffer.from(settings.secret, 'utf8'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

  return {
    async issueAccessToken(username, sessionId) {
      const now = Math.floor(clock.now() / 1000);
      const token = await new SignJWT({ token_use: 'access', sid: sessionId })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE })
        .setSubject(username)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + settings.accessTokenTtlSeconds)
        .setJti(randomUUID())
        .sign(await imported);
      return { token, expiresIn: settings.accessTokenTtlSeconds };
    },

    async verifyAccessToken(token) {
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalid();
      const key = await imported;
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ACCESS_TOKEN_ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['exp', 'iat', 'sub', 'sid'],
          currentDate: new Date(clock.now()),
        });
        if (payload.token_use !== 'access' || !isNonEmptyString(payload.sub) || !isNonEmptyString(payload.sid)) throw invalid();
        return { username: payload.sub, sessionId: payload.sid, issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new AuthError('TOKEN_EXPIRED', MESSAGES.tokenExpired);
        throw invalid();
      }
    },
  };
}

const invalid = () => new AuthError('TOKEN_INVALID', MESSAGES.tokenInvalid);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 128;

let shared: Promise<TokenService> | undefined;

/**
 * The container's token service. The configuration is checked at once (a missing secret
 * fails the cold start, naming the variable); an SSM secret is fetched on first use.
 */
export function sharedTokenService(): TokenService {
  const config = readTokenConfig();
  const ready = (): Promise<TokenService> =>
    (shared ??= loadTokenSettings(config).then(
      (settings) => createTokenService(settings),
      (error: unknown) => {
        shared = undefined;
        throw error;
      },
    ));
  return {
    issueAccessToken: async (username, sessionId) => (await ready()).issueAccessToken(username, sessionId),
    verifyAccessToken: async (token) => (await ready()).verifyAccessToken(token),
  };
}
