// Small helpers shared by the browser cases: direct API calls for setup and checks, and page actions.
import assert from 'node:assert/strict';

export const PASSWORD = 'motdepasse-2025';
/** A bank that approves every payment at once: the cases that need another bank say so. */
export const HEALTHY_BANK = { success_rate: 1, latency_ms: 0, down: false, error_rate: 0 };

export function uniqueUser(prefix = 'u') {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Calls the API from Node (no CORS, no browser), for setting the stage and checking the outcome. */
export async function api(apiUrl, method, path, { body, token, headers = {} } = {}) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** Sets the bank's fault settings on the bank's own service (`PUT {bankUrl}/faults`, local stages only). */
export async function setFaults(bankUrl, faults) {
  const res = await api(bankUrl, 'PUT', '/faults', { body: faults });
  assert.equal(res.status, 200, `PUT ${bankUrl}/faults → ${res.status} ${JSON.stringify(res.body)}`);
}

/** The bank's record of an order's payment (server to server, with the merchant key); null when it has none. */
export async function bankPayment(bankUrl, merchantKey, orderId) {
  assert.ok(merchantKey, 'the stack hands the cases its merchant key');
  const res = await api(bankUrl, 'GET', `/payments/${encodeURIComponent(orderId)}`, { token: merchantKey });
  if (res.status === 404) return null;
  assert.equal(res.status, 200, `GET ${bankUrl}/payments/${orderId} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function catalogue(apiUrl) {
  const res = await api(apiUrl, 'GET', '/api/products');
  assert.equal(res.status, 200);
  assert.ok(Array.isArray(res.body) && res.body.length >= 2, 'the catalogue has at least two articles');
  return res.body;
}

export async function registerViaApi(apiUrl, username, password = PASSWORD) {
  const res = await api(apiUrl, 'POST', '/auth/register', { body: { username, password } });
  assert.equal(res.status, 201, `register → ${res.status} ${JSON.stringify(res.body)}`);
}

export async function loginViaApi(apiUrl, username, password = PASSWORD) {
  const res = await api(apiUrl, 'POST', '/auth/login', { body: { username, password } });
  assert.equal(res.status, 200, `login → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The caller's orders, following every cursor; accepts `{orders, next_cursor}` or a bare array. */
export async function ordersViaApi(apiUrl, token) {
  const all = [];
  let cursor;
  do {
    const query = new URLSearchParams({ limit: '50' });
    if (cursor) query.set('cursor', cursor);
    const res = await api(apiUrl, 'GET', `/api/orders?${query}`, { token });
    assert.equal(res.status, 200, `GET /api/orders → ${res.status}`);
    const page = Array.isArray(res.body) ? res.body : res.body.orders;
    all.push(...page);
    cursor = Array.isArray(res.body) ? undefined : res.body.next_cursor;
  } while (cursor);
  return all;
}

export async function waitFor(check, { timeout = 10_000, interval = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// ---- page actions ----

/** Switches the page's language with its FR/EN buttons and waits until the page says it took. */
export async function setLang(page, lang) {
  await page.click(`#lang-${lang}`);
  await page.waitForFunction((value) => document.documentElement.lang === value, lang);
}

export async function openLogin(page, siteUrl) {
  await page.goto(`${siteUrl}/login`);
  await page.waitForSelector('#login-username');
}

async function fillCredentials(page, username, password) {
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
}

/** Registers through the form: a new account is signed in at once, on the page asked for (home by default). */
export async function registerInUi(page, username, password = PASSWORD) {
  await fillCredentials(page, username, password);
  await page.click('#register-submit');
  await page.waitForSelector('#logout');
}

export async function loginInUi(page, username, password = PASSWORD) {
  await fillCredentials(page, username, password);
  await page.click('#login-submit');
  await waitForCatalogue(page);
}

/** A fresh user, registered through the API and signed in through the UI. */
export async function signedInPage(page, { siteUrl, apiUrl }) {
  const username = uniqueUser();
  await registerViaApi(apiUrl, username);
  await openLogin(page, siteUrl);
  await loginInUi(page, username);
  return username;
}

export async function waitForCatalogue(page) {
  await page.waitForSelector('[data-testid="catalogue"] input[data-article]');
}

export async function fillCart(page, quantities) {
  for (const [article, quantity] of Object.entries(quantities)) {
    await page.locator(`input[data-article="${article.replace(/"/g, '\\"')}"]`).fill(String(quantity));
  }
}

export const expectedCents = (products, quantities) =>
  Object.entries(quantities).reduce((sum, [article, quantity]) => {
    const product = products.find((entry) => entry.article === article);
    assert.ok(product, `article ${article} in the catalogue`);
    return sum + Math.round(product.unit_price * 100) * quantity;
  }, 0);

/** Clicks "Acheter le panier" and waits for the result page; returns its outcome (ok, declined, pending, …). */
export async function buy(page) {
  await page.click('#buy-button');
  const result = await page.waitForSelector('[data-testid="result"]');
  return result.getAttribute('data-outcome');
}

export async function backHome(page) {
  await page.click('#back-home');
  await waitForCatalogue(page);
}

export async function breakerState(page) {
  return page.locator('[data-testid="breaker-state"]').getAttribute('data-state');
}

export async function logEntries(page) {
  return page.$$eval('[data-testid="log-row"]', (rows) =>
    rows.map((row) => ({ method: row.dataset.method, path: row.dataset.path, status: Number(row.dataset.status) })).reverse(),
  );
}
