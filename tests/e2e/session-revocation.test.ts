import { describe, expect, it } from '@jest/globals';
import { SESSION_CHECK_CACHE_DEFAULT_SECONDS } from '../../functions/authorizer/config';
import { type ApiResponse, api, testStack } from '../support/env';
import { expectConforms } from '../support/openapi';
import { sleep } from '../support/wait';
import { newShopper, type Shopper } from './shop';

/**
 * Ending a session ends its access tokens (docs/auth.md): after a logout, or after a reused
 * refresh token revokes the session, /auth/validate refuses its access tokens at once and the
 * API (through the TOKEN authorizer) within the authorizer's session cache bound.
 */
const { env } = testStack();
const CACHE_BOUND_MS = Number(env.SESSION_CHECK_CACHE_SECONDS ?? SESSION_CHECK_CACHE_DEFAULT_SECONDS) * 1000;
/** Polling, a slow request on a busy 2-core machine. */
const MARGIN_MS = 5_000;
const TIMEOUT_MS = CACHE_BOUND_MS + MARGIN_MS + 20_000;

const listWith = (accessToken: string) => api('GET', '/api/orders', undefined, { authorization: `Bearer ${accessToken}` });
const validate = (accessToken: string) => api('POST', '/auth/validate', { token: accessToken });

/** Calls GET /api/orders until it answers 401; fails if that takes longer than the bound + margin. */
async function refusedByTheApiWithinBound(accessToken: string, since: number): Promise<number> {
  const deadline = since + CACHE_BOUND_MS + MARGIN_MS;
  let last: ApiResponse;
  do {
    last = await listWith(accessToken);
    if (last.status === 401) {
      expectConforms('GET', '/api/orders', last);
      return Date.now() - since;
    }
    expect(last.status).toBe(200);
    await sleep(250);
  } while (Date.now() < deadline);
  throw new Error(`the access token still opened GET /api/orders ${Date.now() - since} ms after its session ended (bound ${CACHE_BOUND_MS} ms)`);
}

async function expectRevokedAtOnce(accessToken: string): Promise<void> {
  const response = await validate(accessToken);
  expect(response).toMatchObject({ status: 401, body: { code: 'TOKEN_REVOKED' } });
  expectConforms('POST', '/auth/validate', response);
}

async function signedIn(): Promise<Shopper> {
  const shopper = await newShopper('session');
  // The authorizer now remembers this session as open: the worst case for what follows.
  expect((await listWith(shopper.token)).status).toBe(200);
  expect((await validate(shopper.token)).status).toBe(200);
  return shopper;
}

describe('ending a session ends its access tokens', () => {
  it(
    'logout: /auth/validate refuses the access token at once, the API within the cache bound; another session of the user lives on',
    async () => {
      // Prepare
      const shopper = await signedIn();
      const other = await api('POST', '/auth/login', { username: shopper.username, password: 'a good password' });
      expect(other.status).toBe(200);

      // Act
      const loggedOut = Date.now();
      expect((await api('POST', '/auth/logout', { refresh_token: shopper.refreshToken })).status).toBe(200);

      // Assess
      await expectRevokedAtOnce(shopper.token);
      const elapsed = await refusedByTheApiWithinBound(shopper.token, loggedOut);
      expect(elapsed).toBeLessThanOrEqual(CACHE_BOUND_MS + MARGIN_MS);
      expect((await listWith(other.body.access_token)).status).toBe(200);
      expect((await validate(other.body.access_token)).status).toBe(200);
    },
    TIMEOUT_MS,
  );

  it(
    'refresh-token reuse: every access token of the session is refused, the first and the rotated one',
    async () => {
      // Prepare: rotate once, use the grace once, then present the spent token a third time.
      const shopper = await signedIn();
      const rotated = await api('POST', '/auth/refresh', { refresh_token: shopper.refreshToken });
      expect(rotated.status).toBe(200);
      expect((await listWith(rotated.body.access_token)).status).toBe(200);
      expect((await api('POST', '/auth/refresh', { refresh_token: shopper.refreshToken })).status).toBe(200);

      // Act
      const reused = Date.now();
      const replay = await api('POST', '/auth/refresh', { refresh_token: shopper.refreshToken });

      // Assess
      expect(replay).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REUSED' } });
      await expectRevokedAtOnce(shopper.token);
      await expectRevokedAtOnce(rotated.body.access_token);
      await Promise.all([refusedByTheApiWithinBound(shopper.token, reused), refusedByTheApiWithinBound(rotated.body.access_token, reused)]);
      expect((await api('POST', '/auth/refresh', { refresh_token: rotated.body.refresh_token })).body.code).toBe('REFRESH_TOKEN_INVALID');
    },
    TIMEOUT_MS,
  );
});
