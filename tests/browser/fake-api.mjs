#!/usr/bin/env node
// A development stand-in for the real API (DESIGN.md contract), to work on the SPA without the serverless
// stack. It is NOT what the browser tests use by default: `run.mjs` starts the real stack through
// tests/support/stack.mjs; `run.mjs --fake-api` and `node tests/browser/fake-api.mjs` are dev tools only.
//
// It has drifted from the real API: it predates the bank's own service (it still serves the fault settings
// itself, as `bankUrl` = `<apiUrl>/bank`), the Idempotency-Key rules (409, replay of the first result, fresh
// attempt after FAILED), PAYMENT_PENDING and GET /api/orders/{order_id}. Cases about those fail against it.
//
//   node tests/browser/fake-api.mjs [--port 5003] [--site-origin http://localhost:5000]
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const CATALOGUE = [
  { id: 'fraises', article: 'Fraises', unit_price: 2.5 },
  { id: 'haricots', article: 'Haricots', unit_price: 1.8 },
  { id: 'laine', article: 'Laine', unit_price: 4 },
  { id: 'peches', article: 'Pêches', unit_price: 3 },
  { id: 'pasteques', article: 'Pastèques', unit_price: 4 },
  { id: 'pates', article: 'Paquet de pâtes', unit_price: 1.2 },
  { id: 'cookies', article: 'Cookies', unit_price: 2 },
].map((product) => ({ ...product, currency: 'EUR' }));

const UNAVAILABLE = 'Service indisponible, veuillez réessayer plus tard.';
const BANK_TIMEOUT_MS = 3000;

class ApiError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const base64url = (value) => Buffer.from(value).toString('base64url');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeApi({
  port = 0,
  host = '127.0.0.1',
  siteOrigin,
  accessTtlSeconds = 3600,
  failureThreshold = 3,
  halfOpenAfterMs = Number(process.env.BREAKER_HALF_OPEN_AFTER_MS ?? 5000),
} = {}) {
  const secret = randomBytes(32);
  const users = new Map([['test', '1234']]);
  const refreshTokens = new Map(); // token → { username, used }
  const failedLogins = new Map();
  const orders = new Map(); // username → orders, oldest first
  const idempotent = new Map(); // `${username}:${key}` → response
  const faults = { success_rate: 0.5, latency_ms: 0, down: false };
  const breaker = { state: 'closed', failures: 0, openedAt: 0 };

  function sign(username) {
    const now = Math.floor(Date.now() / 1000);
    const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }));
    const claims = base64url(
      JSON.stringify({ token_use: 'access', sub: username, iss: 'fake-api', aud: 'shop', iat: now, exp: now + accessTtlSeconds, jti: randomUUID() }),
    );
    const signature = createHmac('sha256', secret).update(`${head}.${claims}`).digest('base64url');
    return `${head}.${claims}.${signature}`;
  }

  function verify(header) {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) throw new ApiError(401, 'TOKEN_INVALID', 'Token invalide.');
    const [head, claims, signature] = token.split('.');
    const expected = createHmac('sha256', secret).update(`${head}.${claims}`).digest();
    const given = Buffer.from(signature ?? '', 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ApiError(401, 'TOKEN_INVALID', 'Token invalide.');
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString());
    if (payload.exp * 1000 <= Date.now()) throw new ApiError(401, 'TOKEN_EXPIRED', 'Token expiré.');
    return payload.sub;
  }

  function issueTokens(username) {
    const refresh = randomBytes(32).toString('base64url');
    refreshTokens.set(refresh, { username, used: false });
    return { access_token: sign(username), refresh_token: refresh, token_type: 'Bearer', expires_in: accessTtlSeconds };
  }

  function breakerState() {
    if (breaker.state === 'open' && Date.now() - breaker.openedAt >= halfOpenAfterMs) return 'half-open';
    return breaker.state;
  }

  function recordBankResult(ok) {
    if (ok) {
      breaker.state = 'closed';
      breaker.failures = 0;
      return;
    }
    breaker.failures += 1;
    if (breakerState() === 'half-open' || breaker.failures >= failureThreshold) {
      breaker.state = 'open';
      breaker.openedAt = Date.now();
    }
  }

  async function callBank() {
    const latency = Math.min(faults.latency_ms, BANK_TIMEOUT_MS);
    await sleep(latency);
    if (faults.down || faults.latency_ms > BANK_TIMEOUT_MS) {
      recordBankResult(false);
      return 'unavailable';
    }
    recordBankResult(true);
    return Math.random() < faults.success_rate ? 'approved' : 'declined';
  }

  function validateCart(body) {
    const items = body?.items;
    if (!Array.isArray(items) || items.length === 0) throw new ApiError(400, 'INVALID_CART', 'Le panier est vide ou invalide.');
    let totalCents = 0;
    const lines = items.map((item) => {
      const product = CATALOGUE.find((entry) => entry.article === item?.article);
      if (!product) throw new ApiError(422, 'UNKNOWN_ARTICLE', `Article inconnu : ${String(item?.article)}`);
      if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 99) {
        throw new ApiError(400, 'INVALID_QUANTITY', 'Quantité invalide.');
      }
      const lineCents = Math.round(product.unit_price * 100) * item.quantity;
      totalCents += lineCents;
      return { article: product.article, quantity: item.quantity, unit_price: product.unit_price, total_price: lineCents / 100 };
    });
    return { lines, total: totalCents / 100 };
  }

  async function placeOrder(username, body) {
    const { lines, total } = validateCart(body);
    const order = { order_id: randomUUID(), status: 'PENDING', total, items: lines, created_at: new Date().toISOString() };
    const list = orders.get(username) ?? [];
    list.push(order);
    orders.set(username, list);
    if (breakerState() === 'open') {
      order.status = 'FAILED';
      return [503, { status: 'error_service', message: UNAVAILABLE, code: 'BANK_UNAVAILABLE' }];
    }
    const answer = await callBank();
    if (answer === 'approved') {
      order.status = 'PAID';
      return [201, { status: 'ok', order_id: order.order_id, total, items: lines, message: 'Paiement accepté.' }];
    }
    if (answer === 'declined') {
      order.status = 'DECLINED';
      return [402, { status: 'error', order_id: order.order_id, message: 'Paiement refusé par la banque.', code: 'PAYMENT_DECLINED' }];
    }
    order.status = 'FAILED';
    return [503, { status: 'error_service', message: UNAVAILABLE, code: 'BANK_UNAVAILABLE' }];
  }

  const routes = {
    'POST /auth/register': ({ body }) => {
      const { username, password } = body ?? {};
      if (typeof username !== 'string' || !/^[A-Za-z0-9._-]{3,32}$/.test(username)) {
        throw new ApiError(400, 'VALIDATION_FAILED', "Le nom d'utilisateur doit faire 3 à 32 caractères.");
      }
      if (typeof password !== 'string' || password.length < 8) {
        throw new ApiError(400, 'VALIDATION_FAILED', 'Le mot de passe doit faire au moins 8 octets.');
      }
      if (users.has(username)) throw new ApiError(409, 'USERNAME_TAKEN', "Ce nom d'utilisateur existe déjà.");
      users.set(username, password);
      return [201, { message: 'Utilisateur créé avec succès.', username }];
    },
    'POST /auth/login': ({ body }) => {
      const { username, password } = body ?? {};
      const failures = failedLogins.get(username) ?? 0;
      if (failures >= 5) throw new ApiError(429, 'TOO_MANY_ATTEMPTS', 'Trop de tentatives. Réessayez dans 30 s.', { 'Retry-After': '30' });
      if (users.get(username) !== password) {
        failedLogins.set(username, failures + 1);
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'Identifiants incorrects.');
      }
      failedLogins.delete(username);
      return [200, { message: 'Connexion réussie.', ...issueTokens(username) }];
    },
    'POST /auth/refresh': ({ body }) => {
      const entry = refreshTokens.get(body?.refresh_token);
      if (!entry) throw new ApiError(401, 'REFRESH_TOKEN_INVALID', 'Refresh token invalide ou expiré.');
      if (entry.used) {
        for (const [token, other] of refreshTokens) if (other.username === entry.username) refreshTokens.delete(token);
        throw new ApiError(401, 'REFRESH_TOKEN_REUSED', 'Refresh token déjà utilisé : la session est révoquée.');
      }
      entry.used = true;
      return [200, { message: 'Token renouvelé.', ...issueTokens(entry.username) }];
    },
    'POST /auth/logout': ({ body }) => {
      refreshTokens.delete(body?.refresh_token);
      return [200, { message: 'Déconnexion réussie.' }];
    },
    'GET /api/products': () => [200, CATALOGUE],
    'GET /api/health': () => [200, { breaker: breakerState(), bank: { ...faults } }],
    'GET /api/orders': ({ headers, query }) => {
      const username = verify(headers.authorization);
      const newestFirst = [...(orders.get(username) ?? [])].reverse();
      const limit = Math.min(Math.max(Number.parseInt(query.get('limit') ?? '20', 10) || 20, 1), 100);
      const cursor = query.get('cursor');
      const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
      if (!Number.isInteger(start) || start < 0) throw new ApiError(400, 'INVALID_CURSOR', 'Curseur invalide.');
      const page = newestFirst.slice(start, start + limit);
      const next = start + limit < newestFirst.length ? base64url(String(start + limit)) : undefined;
      return [200, next ? { orders: page, next_cursor: next } : { orders: page }];
    },
    'POST /api/orders': async ({ headers, body }) => {
      const username = verify(headers.authorization);
      const key = headers['idempotency-key'];
      const slot = key ? `${username}:${key}` : undefined;
      if (slot && idempotent.has(slot)) return idempotent.get(slot);
      const pending = placeOrder(username, body);
      if (slot) idempotent.set(slot, pending);
      try {
        return await pending;
      } catch (error) {
        if (slot) idempotent.delete(slot);
        throw error;
      }
    },
    'GET /bank/faults': () => [200, { ...faults }],
    'PUT /bank/faults': ({ body }) => {
      const { success_rate: rate, latency_ms: latency, down } = body ?? {};
      if (rate !== undefined && (typeof rate !== 'number' || rate < 0 || rate > 1)) throw new ApiError(400, 'VALIDATION_FAILED', 'success_rate invalide.');
      if (latency !== undefined && (!Number.isInteger(latency) || latency < 0 || latency > 30000)) throw new ApiError(400, 'VALIDATION_FAILED', 'latency_ms invalide.');
      if (down !== undefined && typeof down !== 'boolean') throw new ApiError(400, 'VALIDATION_FAILED', 'down invalide.');
      Object.assign(faults, Object.fromEntries(Object.entries({ success_rate: rate, latency_ms: latency, down }).filter(([, value]) => value !== undefined)));
      return [200, { ...faults }];
    },
  };

  const corsHeaders = {
    'Access-Control-Allow-Origin': siteOrigin ?? '*',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
    'Access-Control-Expose-Headers': 'Retry-After',
    Vary: 'Origin',
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const reply = (status, body, extra = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { ...corsHeaders, ...extra, 'Content-Type': 'application/json; charset=utf-8' });
      res.end(text);
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders);
      res.end();
      return;
    }
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      reply(404, { message: 'Route inconnue.', code: 'NOT_FOUND' });
      return;
    }
    try {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        throw new ApiError(400, 'INVALID_JSON', 'Corps JSON invalide.');
      }
      const [status, payload] = await route({ headers: req.headers, body, query: url.searchParams });
      reply(status, payload);
    } catch (error) {
      if (error instanceof ApiError) reply(error.status, { message: error.message, code: error.code }, error.headers);
      else reply(500, { message: 'Erreur interne.', code: 'INTERNAL' });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const apiUrl = `http://${host}:${server.address().port}`;
  return {
    apiUrl,
    bankUrl: `${apiUrl}/bank`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '5003' }, 'site-origin': { type: 'string' } },
  });
  const api = await startFakeApi({ port: Number(values.port), siteOrigin: values['site-origin'] });
  console.log(`[fake-api] listening on ${api.apiUrl} (dev tool; the browser tests use the real stack)`);
  process.once('SIGINT', () => void api.stop().then(() => process.exit(0)));
}
