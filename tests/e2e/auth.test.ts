import { createSecretKey } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { api, testDocumentClient, testStack, uniqueName } from '../support/env';

const { env, table } = testStack();
const db = testDocumentClient();
const JSON_HEADERS = { 'content-type': 'application/json' };

async function storedUser(username: string) {
  const { Item } = await db.send(new GetCommand({ TableName: table('users'), Key: { username: username.toLowerCase() } }));
  return Item;
}

async function registeredUser(password = 'a good password') {
  const username = uniqueName('user');
  const response = await api('POST', '/auth/register', { username, password });
  expect(response.status).toBe(201);
  return { username, password };
}

async function loggedIn() {
  const user = await registeredUser();
  const response = await api('POST', '/auth/login', user);
  expect(response.status).toBe(200);
  return { ...user, access: response.body.access_token as string, refresh: response.body.refresh_token as string };
}

describe('the original README’s flow', () => {
  it('logs in the demo account test / 1234 with the documented body', async () => {
    const response = await api('POST', '/auth/login', { username: 'test', password: '1234' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.body).toMatchObject({ message: 'Connexion réussie.', token_type: 'Bearer', expires_in: 3600 });
    expect(response.body.access_token.split('.')).toHaveLength(3);
    expect(typeof response.body.refresh_token).toBe('string');
  });

  it('registers, logs in and validates a new user', async () => {
    const { username, access } = await loggedIn();
    const response = await api('POST', '/auth/validate', { token: access });
    expect(response).toMatchObject({ status: 200, body: { message: 'Token valide', user: username } });
  });
});

describe('POST /auth/register rejects bad input and writes nothing', () => {
  const name = () => uniqueName('r');
  const cases: Array<{ description: string; body: () => unknown; headers?: Record<string, string>; status: number; code: string; message?: RegExp }> = [
    { description: 'a 2-character name', body: () => ({ username: 'ab', password: 'long enough' }), status: 400, code: 'VALIDATION_FAILED', message: /3 à 32/ },
    { description: 'a 33-character name', body: () => ({ username: 'a'.repeat(33), password: 'long enough' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a name with a space', body: () => ({ username: 'bad name', password: 'long enough' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a name with non-ASCII letters', body: () => ({ username: 'élodie', password: 'long enough' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a 7-character password', body: () => ({ username: name(), password: '1234567' }), status: 400, code: 'VALIDATION_FAILED', message: /8 caractères/ },
    {
      description: 'six accented letters (12 bytes, 6 characters)',
      body: () => ({ username: name(), password: 'éééééé' }),
      status: 400,
      code: 'VALIDATION_FAILED',
      message: /8 caractères/,
    },
    { description: 'a 73-byte password', body: () => ({ username: name(), password: 'p'.repeat(73) }), status: 400, code: 'VALIDATION_FAILED', message: /72 octets/ },
    {
      description: '37 two-byte characters (74 bytes)',
      body: () => ({ username: name(), password: 'é'.repeat(37) }),
      status: 400,
      code: 'VALIDATION_FAILED',
      message: /72 octets/,
    },
    { description: 'a missing password', body: () => ({ username: name() }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a numeric password', body: () => ({ username: name(), password: 12345678 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'an extra field', body: () => ({ username: name(), password: 'long enough', admin: true }), status: 400, code: 'VALIDATION_FAILED' },
    {
      description: 'a __proto__ key',
      body: () => `{"username":"${name()}","password":"long enough","__proto__":{"admin":true}}`,
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { description: 'malformed JSON', body: () => '{"username":', status: 400, code: 'INVALID_JSON' },
    { description: 'a NUL byte in the name', body: () => `{"username":"${name()}\\u0000","password":"long enough"}`, status: 400, code: 'INVALID_CHARACTERS' },
    {
      description: 'an unpaired surrogate in the password',
      body: () => `{"username":"${name()}","password":"long enough\\udc00"}`,
      status: 400,
      code: 'INVALID_CHARACTERS',
    },
    { description: 'a body over 16 KB', body: () => ({ username: name(), password: 'x'.repeat(17_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    {
      description: 'a form-encoded body',
      body: () => 'username=abc&password=12345678',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    { description: 'a JSON array', body: () => '[]', status: 400, code: 'VALIDATION_FAILED' },
    // serverless-offline hands the handler no body at all for a literal `null`; AWS passes "null".
    { description: 'null', body: () => 'null', status: 400, code: 'VALIDATION_FAILED|INVALID_JSON' },
  ];

  it.each(cases)('$description → $status $code', async ({ body, headers, status, code, message }) => {
    const payload = body();
    const response = await api('POST', '/auth/register', typeof payload === 'string' ? payload : JSON.stringify(payload), headers ?? JSON_HEADERS);
    expect(response.status).toBe(status);
    expect(response.body.code).toMatch(new RegExp(`^(${code})$`));
    expect(typeof response.body.message).toBe('string');
    if (message) expect(response.body.message).toMatch(message);
    const username = typeof payload === 'object' && payload && 'username' in payload ? String(payload.username) : undefined;
    if (username && /^[A-Za-z0-9._-]{3,32}$/.test(username)) expect(await storedUser(username)).toBeUndefined();
  });

  it('accepts exactly 72 bytes and 8 bytes, checked as typed', async () => {
    for (const password of ['é'.repeat(36), '12345678']) {
      const username = uniqueName('edge');
      expect((await api('POST', '/auth/register', { username, password })).status).toBe(201);
      expect((await api('POST', '/auth/login', { username, password })).status).toBe(200);
    }
  });

  it('20 concurrent registrations of one name give one 201, nineteen 409, one stored user', async () => {
    const username = uniqueName('same');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api('POST', '/auth/register', { username: i % 2 ? username.toUpperCase() : username, password: `password-${i}` })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(responses.find((response) => response.status === 409)?.body.message).toBe("Ce nom d'utilisateur existe déjà.");
    expect(await storedUser(username)).toBeDefined();
  });
});

describe('POST /auth/login', () => {
  it('gives the same 401 body for an unknown user and a wrong password, in comparable time', async () => {
    const { username } = await registeredUser();
    const timed = async (body: object) => {
      const started = performance.now();
      const response = await api('POST', '/auth/login', body);
      return { response, ms: performance.now() - started };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await timed({ username: uniqueName('ghost'), password: 'whatever' });
      const b = await timed({ username, password: `wrong-${i}` });
      expect([a.response.status, a.response.body]).toEqual([401, { message: 'Identifiants incorrects.', code: 'INVALID_CREDENTIALS' }]);
      expect([b.response.status, b.response.body]).toEqual([a.response.status, a.response.body]);
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[1] ?? 0;
    // Both run one bcrypt comparison; without the dummy hash an unknown user answers ~100× faster.
    expect(median(unknown) / median(wrong)).toBeGreaterThan(0.4);
  });

  it('locks after 5 failures with 429 + Retry-After, refuses the right password meanwhile, then recovers', async () => {
    const { username, password } = await registeredUser();
    const other = await registeredUser();
    for (let i = 0; i < 5; i++) expect((await api('POST', '/auth/login', { username, password: 'bad guess' })).status).toBe(401);
    const locked = await api('POST', '/auth/login', { username, password });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Number(env.LOGIN_LOCK_SECONDS ?? 30));
    expect((await api('POST', '/auth/login', other)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await api('POST', '/auth/login', { username, password })).status).toBe(200);
    // The success reset the count: one more failure is a plain 401, not a lock.
    expect((await api('POST', '/auth/login', { username, password: 'bad guess' })).status).toBe(401);
    expect((await api('POST', '/auth/login', { username, password })).status).toBe(200);
  });

  it('refuses a password over 72 bytes with a message naming the limit', async () => {
    const response = await api('POST', '/auth/login', { username: 'test', password: 'p'.repeat(73) });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/72 octets/);
  });
});

describe('POST /auth/validate', () => {
  const key = () => createSecretKey(Buffer.from(env.JWT_SECRET ?? ''));
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ token_use: 'access', sub: 'test', sid: 'a-session', iss: 'serverless-shop/auth', aud: 'serverless-shop/api', ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...header })
      .sign(key());
  const now = () => Math.floor(Date.now() / 1000);

  const cases: Array<{ description: string; token: () => Promise<unknown>; status: number; message?: string }> = [
    { description: 'an expired token', token: () => sign({ iat: now() - 7200, exp: now() - 3600 }), status: 401, message: 'Token expiré.' },
    { description: 'a token from another issuer', token: () => sign({ iat: now(), exp: now() + 60, iss: 'elsewhere' }), status: 401, message: 'Token invalide.' },
    { description: 'garbage', token: async () => 'garbage', status: 401, message: 'Token invalide.' },
    { description: 'an empty token', token: async () => '', status: 400 },
    { description: 'a number', token: async () => 42, status: 400 },
  ];

  it.each(cases)('$description → $status', async ({ token, status, message }) => {
    const response = await api('POST', '/auth/validate', { token: await token() });
    expect(response.status).toBe(status);
    if (message) expect(response.body.message).toBe(message);
  });

  it('a missing token → 400', async () => {
    expect((await api('POST', '/auth/validate', {})).status).toBe(400);
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token; a replay is answered once within the reuse interval, the next one revokes the session', async () => {
    const { refresh } = await loggedIn();
    const rotated = await api('POST', '/auth/refresh', { refresh_token: refresh });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(refresh);
    expect((await api('POST', '/auth/validate', { token: rotated.body.access_token })).status).toBe(200);
    // A client whose answer was lost retries with the same token: a second successor, same session.
    const retried = await api('POST', '/auth/refresh', { refresh_token: refresh });
    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).not.toBe(rotated.body.refresh_token);
    expect((await api('GET', '/api/orders', undefined, { authorization: `Bearer ${retried.body.access_token}` })).status).toBe(200);
    // A third presentation is reuse: the whole session ends, both successors with it.
    const replay = await api('POST', '/auth/refresh', { refresh_token: refresh });
    expect(replay).toMatchObject({ status: 401, body: { code: 'REFRESH_TOKEN_REUSED' } });
    expect((await api('POST', '/auth/refresh', { refresh_token: rotated.body.refresh_token })).status).toBe(401);
    expect((await api('POST', '/auth/refresh', { refresh_token: retried.body.refresh_token })).status).toBe(401);
  });

  it('of two concurrent refreshes with one token (two tabs), both succeed and both sessions keep working', async () => {
    const { refresh } = await loggedIn();
    const results = await Promise.all([1, 2].map(() => api('POST', '/auth/refresh', { refresh_token: refresh })));
    expect(results.map((result) => result.status)).toEqual([200, 200]);
    for (const result of results) {
      expect((await api('POST', '/auth/validate', { token: result.body.access_token })).status).toBe(200);
      expect((await api('POST', '/auth/refresh', { refresh_token: result.body.refresh_token })).status).toBe(200);
    }
  });

  it('never accepts an access token as a refresh token, nor the reverse', async () => {
    const { access, refresh } = await loggedIn();
    expect((await api('POST', '/auth/refresh', { refresh_token: access.slice(0, 512) })).status).toBe(401);
    expect((await api('POST', '/auth/validate', { token: refresh })).status).toBe(401);
  });

  it('logout revokes the token; logging out an unknown token is not an error', async () => {
    const { refresh } = await loggedIn();
    expect((await api('POST', '/auth/logout', { refresh_token: refresh })).status).toBe(200);
    expect((await api('POST', '/auth/refresh', { refresh_token: refresh })).status).toBe(401);
    expect((await api('POST', '/auth/logout', { refresh_token: 'never-issued' })).status).toBe(200);
    expect((await api('POST', '/auth/logout', { refresh_token: refresh })).status).toBe(200);
  });
});
