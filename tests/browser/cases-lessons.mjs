// The browser cases of the teaching panel's insides: the trace waterfall of a purchase and of a refused
// request, the breaker chart under « Envoyer 20 commandes », and the four guided lessons in French and English.
// Cases that change the bank's faults put them back; cases that switch to English switch back.
import assert from 'node:assert/strict';
import { bankPayment, buy, catalogue, fillCart, HEALTHY_BANK, setFaults, setLang, signedInPage, waitFor } from './helpers.mjs';

const DONE = { fr: 'Leçon terminée.', en: 'Lesson complete.' };

/** Clicks « Trace » on the log row matching `row` (the newest, or the `index`-th newest) and waits until the trace is complete. */
async function openTrace(page, row, index = 0) {
  const selector = `[data-testid="log-row"]${Object.entries(row)
    .map(([key, value]) => `[data-${key}="${value}"]`)
    .join('')}`;
  await page.locator(selector).nth(index).locator('[data-testid="log-trace"]').click();
  await page.waitForSelector('[data-testid="panel-trace"] ol[data-complete="true"]', { timeout: 5000 });
  return page.locator('[data-testid="panel-trace"]');
}

const spanTexts = (trace, kind) => trace.locator(`[data-testid="span-${kind}"]`).allTextContents();

/** « Réglages par défaut » in the panel, waiting for the bank's answer (the form is drawn again then). */
async function panelDefaults(page) {
  await page.click('#chaos-defaults');
  await page.waitForSelector('#chaos-apply:not([disabled])');
}

async function pickLesson(page, id) {
  await page.selectOption('#lesson-pick', id);
  await page.waitForSelector(`[data-lesson="${id}"]`);
}

/** Waits until `count` steps of the shown lesson are done. */
async function stepsDone(page, count, what) {
  await waitFor(async () => (await page.locator('[data-testid="lesson-step"][data-done="true"]').count()) >= count, { timeout: 15_000, what });
}

async function lessonComplete(page, lang) {
  await waitFor(async () => (await page.textContent('[data-testid="lesson-progress"]'))?.trim() === DONE[lang], {
    timeout: 15_000,
    what: 'the lesson to say it is complete',
  });
}

async function jwtLesson(page, lang) {
  await pickLesson(page, 'jwt');
  await stepsDone(page, 1, 'signed in');
  await page.click('#lesson-decode');
  assert.match((await page.textContent('[data-testid="lesson-lifetime"]')) ?? '', /exp − iat = 3600 s/);
  await stepsDone(page, 2, 'the token decoded');
  // The token's exp moves a second into the past: the lesson sees it expire (its check runs every second).
  assert.equal(await page.evaluate(() => window.__shopTest.expireAccessToken()), true);
  await stepsDone(page, 3, 'the token seen expired');
  const refresh = page.waitForResponse((response) => response.url().endsWith('/auth/refresh'));
  await page.click('#lesson-refresh');
  assert.equal((await refresh).status(), 200, 'the refresh token is traded for a new pair');
  await lessonComplete(page, lang);
}

async function authorizerLesson(page, lang) {
  await pickLesson(page, 'authorizer');
  await page.click('#lesson-no-token');
  await stepsDone(page, 1, 'the call without a token refused');
  await page.click('#lesson-forged');
  await stepsDone(page, 2, 'the forged token refused');

  // The forged token: the authorizer ran and refused it; orders never did.
  const forged = await openTrace(page, { method: 'GET', path: '/api/orders', status: 401 });
  const refusals = await spanTexts(forged, 'authorizer');
  assert.equal(refusals.length, 1, `one authorizer refusal in the trace: ${refusals}`);
  assert.match(refusals[0], /TOKEN_INVALID/);
  assert.equal(await forged.locator('[data-testid="span-fn-orders"]').count(), 0, 'no orders span');
  await forged.locator('[data-testid="trace-no-function"]').waitFor();
  await lessonComplete(page, lang);

  // No token at all (the 401 before the forged one): API Gateway answers alone, without calling the authorizer.
  const noToken = await openTrace(page, { method: 'GET', path: '/api/orders', status: 401 }, 1);
  assert.match((await spanTexts(noToken, 'gateway')).join(' '), /Authorization/);
  assert.equal(await noToken.locator('[data-testid="span-authorizer"]').count(), 0, 'the authorizer was not called');
  assert.equal(await noToken.locator('[data-testid="span-fn-orders"]').count(), 0, 'no orders span');
}

async function breakerLesson(page, lang, { halfOpenAfterMs }) {
  await pickLesson(page, 'breaker');
  await panelDefaults(page);
  await page.check('#chaos-down');
  await page.click('#chaos-apply');
  await stepsDone(page, 1, 'the bank down');
  // Concurrent orders all admitted while the breaker was closed reach the bank; send again until one is short-circuited.
  for (let round = 1; (await page.locator('[data-testid="lesson-step"][data-done="true"]').count()) < 4; round += 1) {
    assert.ok(round <= 4, 'four rounds of traffic open the breaker and meet it open');
    await page.click('#traffic-send');
    await page.waitForSelector('#traffic-send:not([disabled])', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="traffic-sent"]', { state: 'attached' });
    await page.waitForTimeout(1200);
  }
  await page.locator('[data-testid="breaker-band"][data-state="open"]').first().waitFor({ state: 'attached', timeout: 5000 });
  assert.ok((await page.locator('[data-testid="traffic-bar"][data-outcome="breakerOpen"]').count()) > 0, 'the chart shows 503 BREAKER_OPEN answers');
  assert.ok((await page.locator('[data-testid="traffic-bar"][data-outcome="unavailable"]').count()) > 0, 'the chart shows 503 BANK_UNAVAILABLE answers');

  await page.click('#chaos-defaults');
  await stepsDone(page, 5, 'the bank repaired');
  await page.waitForTimeout(halfOpenAfterMs);
  await stepsDone(page, 6, 'the breaker half-open');
  await page.fill('#traffic-count', '1');
  await page.click('#traffic-send');
  await lessonComplete(page, lang);
  await page.fill('#traffic-count', '20');
  const transitions = await page.locator('[data-testid="breaker-transition"]').evaluateAll((lines) => lines.map((line) => line.getAttribute('data-state')));
  assert.ok(transitions.includes('open') && transitions.includes('closed'), `the chart marks the opening and the closing: ${transitions}`);
}

async function idempotencyLesson(page, lang, { apiUrl, bankUrl, merchantKey }) {
  await pickLesson(page, 'idempotency');
  await panelDefaults(page);
  // The bank's defaults decline half the payments: this case wants the one charge to be seen.
  await page.locator('#chaos-success').fill('100');
  await page.fill('#chaos-latency', '2000');
  await page.click('#chaos-apply');
  await stepsDone(page, 1, 'the bank slower than the wait');
  const [first] = await catalogue(apiUrl);
  await page.click('#nav-home');
  await fillCart(page, { [first.article]: 1 });
  const keys = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/orders')) keys.push(request.headers()['idempotency-key']);
  });
  assert.equal(await buy(page), 'pending', 'the page says the payment is being verified');
  await stepsDone(page, 2, 'PAYMENT_PENDING seen');
  await page.click('#chaos-defaults');
  await stepsDone(page, 3, 'the bank back to its speed');
  await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 20_000 });
  await lessonComplete(page, lang);
  assert.equal(new Set(keys).size, 1, `every POST of that cart carried one key (${keys.length} POSTs)`);
  const orderId = (await page.textContent('[data-testid="order-id"]'))?.trim();
  assert.ok(orderId, 'the result names the order');
  const payment = await bankPayment(bankUrl, merchantKey, orderId);
  assert.equal(payment?.status, 'approved', 'the bank charged that order once (its one payment record)');
}

export const lessonCases = [
  {
    name: 'the trace of one purchase shows the authorizer, orders, its DynamoDB calls, the bank call with the breaker, and the bank with its own write; the login’s shows bcrypt',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const [first] = await catalogue(apiUrl);
      await signedInPage(page, { siteUrl, apiUrl });
      await fillCart(page, { [first.article]: 2 });
      assert.equal(await buy(page), 'ok');
      const trace = await openTrace(page, { method: 'POST', path: '/api/orders', status: 201 });

      assert.match((await spanTexts(trace, 'browser')).join(), /POST \/api\/orders → 201/);
      assert.match((await spanTexts(trace, 'authorizer')).join(), /Autorisateur : accepté/);
      assert.match((await spanTexts(trace, 'fn-orders')).join(), /orders : POST \/api\/orders → 201/);
      assert.equal((await spanTexts(trace, 'validate')).length >= 1, true, 'a validation span');
      assert.match((await spanTexts(trace, 'price')).join(), /1 ligne/);
      const writes = (await spanTexts(trace, 'dynamodb')).join('\n');
      assert.match(writes, /orders/, `the orders table is written: ${writes}`);
      assert.match(writes, /payments/, `the bank writes its payments table: ${writes}`);
      assert.match((await spanTexts(trace, 'bank.call')).join(), /disjoncteur fermé/);
      assert.match((await spanTexts(trace, 'fn-bank')).join(), /POST \/bank\/pay → 20\d/);
      assert.match((await spanTexts(trace, 'bank.decision')).join(), /approved/);

      // The login's trace: the auth function and its bcrypt compare, slow on purpose.
      const login = await openTrace(page, { method: 'POST', path: '/auth/login', status: 200 });
      assert.match((await spanTexts(login, 'fn-auth')).join(), /auth : POST \/auth\/login → 200/);
      assert.match((await spanTexts(login, 'bcrypt.compare')).join(), /bcrypt, coût 10/);
    },
  },
  ...['fr', 'en'].map((lang) => ({
    name: `the four lessons can be completed in the panel (${lang === 'fr' ? 'French' : 'English'}): JWT, the authorizer with the trace of a refusal, the breaker with its chart, idempotency`,
    async run(env) {
      const { page, siteUrl, apiUrl, bankUrl } = env;
      await setFaults(bankUrl, HEALTHY_BANK);
      await signedInPage(page, { siteUrl, apiUrl });
      if (lang === 'en') await setLang(page, 'en');
      try {
        await page.waitForSelector('[data-testid="panel-lessons"] #lesson-pick');
        await jwtLesson(page, lang);
        await authorizerLesson(page, lang);
        await breakerLesson(page, lang, env);
        await idempotencyLesson(page, lang, env);
        // Progress is kept for the tab: a reload still shows the last lesson complete.
        await page.reload();
        await page.waitForSelector('[data-lesson="idempotency"]');
        await lessonComplete(page, lang);
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
        if (lang === 'en') await setLang(page, 'fr').catch(() => undefined);
      }
    },
  })),
];
