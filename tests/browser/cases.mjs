// The browser cases. Each gets a fresh page (its own sessionStorage, so its own session) and the URLs of
// the site and of the API. Cases that change the bank's faults put them back before they end.
import assert from 'node:assert/strict';
import { lessonCases } from './cases-lessons.mjs';
import { siteCases } from './cases-site.mjs';
import {
  api,
  backHome,
  bankPayment,
  breakerState,
  buy,
  catalogue,
  expectedCents,
  fillCart,
  HEALTHY_BANK,
  logEntries,
  loginInUi,
  loginViaApi,
  openLogin,
  ordersViaApi,
  registerInUi,
  registerViaApi,
  setFaults,
  signedInPage,
  uniqueUser,
  waitFor,
  waitForCatalogue,
} from './helpers.mjs';

const UNAVAILABLE = 'Service indisponible, veuillez réessayer plus tard.';

/** The Idempotency-Key of every POST /api/orders the page sends, in order. */
function orderKeys(page) {
  const keys = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/orders')) keys.push(request.headers()['idempotency-key']);
  });
  return keys;
}

async function twoArticles(apiUrl) {
  const products = await catalogue(apiUrl);
  const [first, second] = products;
  return { products, quantities: { [first.article]: 2, [second.article]: 3 } };
}

export const cases = [
  {
    name: 'register, log in, buy two articles: the result shows ok with the right total',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { products, quantities } = await twoArticles(apiUrl);
      const username = uniqueUser();
      const orderRequests = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/orders')) orderRequests.push(request.headers());
      });

      await openLogin(page, siteUrl);
      await registerInUi(page, username);
      await waitForCatalogue(page);
      assert.equal((await page.textContent('[data-testid="home-flash"]')).trim(), 'Utilisateur créé avec succès. Vous êtes connecté.', 'signed in at once');

      assert.equal(await page.isDisabled('#buy-button'), true, '"Acheter le panier" is disabled on an empty cart');
      await fillCart(page, quantities);
      const expected = expectedCents(products, quantities);
      assert.equal(Number(await page.getAttribute('#cart-total', 'data-cents')), expected, 'the live total');
      assert.equal(await page.isEnabled('#buy-button'), true);

      assert.equal(await buy(page), 'ok');
      assert.equal(await page.textContent('[data-testid="result-heading"]'), 'Commande réussie !');
      assert.equal(Number(await page.getAttribute('[data-testid="result-total"]', 'data-cents')), expected, 'the result total');
      assert.ok((await page.textContent('[data-testid="order-id"]')).trim().length > 0, 'an order id is shown');
      assert.equal(orderRequests.length, 1);
      assert.match(orderRequests[0]['idempotency-key'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  },
  {
    name: 'a declined payment shows "Paiement refusé" with the cart total, and the cart is kept',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      const { products, quantities } = await twoArticles(apiUrl);
      await signedInPage(page, { siteUrl, apiUrl });
      await setFaults(bankUrl, { success_rate: 0, latency_ms: 0, down: false });
      try {
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'declined');
        assert.equal(await page.textContent('[data-testid="result-heading"]'), 'Paiement refusé !');
        assert.equal(Number(await page.getAttribute('[data-testid="result-total"]', 'data-cents')), expectedCents(products, quantities));
        await backHome(page);
        assert.equal(Number(await page.getAttribute('#cart-total', 'data-cents')), expectedCents(products, quantities), 'the cart survives a decline');
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'wrong credentials show "Identifiants incorrects." and empty fields are caught locally',
    async run({ page, siteUrl, apiUrl }) {
      const username = uniqueUser();
      await registerViaApi(apiUrl, username);
      await openLogin(page, siteUrl);
      await page.click('#login-submit');
      assert.equal((await page.textContent('[data-testid="login-message"]')).trim(), 'Veuillez remplir tous les champs.');
      await page.fill('#login-username', username);
      await page.fill('#login-password', 'not-the-password');
      await page.click('#login-submit');
      await page.waitForSelector('[data-testid="login-message"] [role="alert"]');
      assert.equal((await page.textContent('[data-testid="login-message"]')).trim(), 'Identifiants incorrects.');
      assert.equal(new URL(page.url()).pathname, '/login');
    },
  },
  {
    name: 'bank down from the panel: orders end in "Service indisponible", the breaker opens, then closes after recovery',
    async run({ page, siteUrl, apiUrl, bankUrl, halfOpenAfterMs }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { quantities } = await twoArticles(apiUrl);
      await signedInPage(page, { siteUrl, apiUrl });
      await waitFor(async () => (await breakerState(page)) === 'closed', { what: 'the breaker to show closed' });
      try {
        await page.check('#chaos-down');
        await page.click('#chaos-apply');
        await page.waitForSelector('[data-testid="chaos-message"]');
        await waitFor(async () => (await page.textContent('[data-testid="bank-state"]'))?.includes('en panne'), { what: 'the panel to show the bank down' });

        let attempts = 0;
        while ((await breakerState(page)) !== 'open') {
          attempts += 1;
          assert.ok(attempts <= 10, 'the breaker opens within 10 orders');
          await fillCart(page, quantities);
          const outcome = await buy(page);
          assert.notEqual(outcome, 'ok', 'no order succeeds while the bank is down');
          if (outcome === 'unavailable') {
            assert.equal(await page.textContent('[data-testid="result-heading"]'), UNAVAILABLE);
          }
          // The panel polls /api/health every second; give it a moment to catch up with the last order.
          await page.waitForTimeout(1200);
          await backHome(page);
        }
        // With the breaker open the next order is refused at once, without calling the bank.
        await fillCart(page, quantities);
        const started = Date.now();
        assert.equal(await buy(page), 'unavailable');
        assert.equal(await page.textContent('[data-testid="result-heading"]'), UNAVAILABLE);
        assert.ok(Date.now() - started < 5000, 'an open breaker answers fast');

        await page.uncheck('#chaos-down');
        await page.fill('#chaos-latency', '0');
        await page.locator('#chaos-success').fill('100');
        await page.click('#chaos-apply');
        await waitFor(async () => (await page.textContent('[data-testid="bank-state"]'))?.includes('en service'), { what: 'the panel to show the bank up' });

        await page.waitForTimeout(halfOpenAfterMs + 300);
        await backHome(page);
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'ok', 'the trial order after recovery goes through');
        await waitFor(async () => (await breakerState(page)) === 'closed', { timeout: 5000, what: 'the breaker to close again' });
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'history lists the orders, newest first, and pages with "Charger plus"',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const products = await catalogue(apiUrl);
      const username = uniqueUser();
      await registerViaApi(apiUrl, username);
      const { access_token: token } = await loginViaApi(apiUrl, username);
      const placed = [];
      for (let index = 0; index < 12; index += 1) {
        const product = products[index % products.length];
        const res = await api(apiUrl, 'POST', '/api/orders', {
          token,
          body: { items: [{ article: product.article, quantity: 1 }] },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        });
        assert.equal(res.status, 201, `order ${index} → ${res.status} ${JSON.stringify(res.body)}`);
        placed.push(res.body.order_id);
      }

      await openLogin(page, siteUrl);
      await loginInUi(page, username);
      await page.click('#nav-history');
      await page.waitForSelector('[data-testid="history-row"]');
      const firstPage = await page.$$eval('[data-testid="history-row"]', (rows) => rows.map((row) => row.dataset.orderId));
      assert.equal(firstPage.length, 10, 'the first page holds 10 orders');
      assert.deepEqual(firstPage, placed.slice(2).reverse(), 'newest first');
      assert.match(await page.textContent('[data-testid="history"]'), /Payée/);

      await page.click('#history-more');
      await waitFor(async () => (await page.$$('[data-testid="history-row"]')).length === 12, { what: '12 rows after "Charger plus"' });
      const all = await page.$$eval('[data-testid="history-row"]', (rows) => rows.map((row) => row.dataset.orderId));
      assert.deepEqual(all, [...placed].reverse());
      assert.equal(await page.$('#history-more'), null, 'no more pages');
    },
  },
  {
    name: 'an invalid access token is refreshed silently and the order is retried once',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { quantities } = await twoArticles(apiUrl);
      await signedInPage(page, { siteUrl, apiUrl });
      const before = await page.textContent('[data-testid="token-claims"]');
      // The hook breaks the in-memory token's signature: the authorizer answers 401, as for an expired token.
      assert.equal(await page.evaluate(() => window.__shopTest.corruptAccessToken()), true);
      await fillCart(page, quantities);
      assert.equal(await buy(page), 'ok');

      // The shop's calls only (not the health poll, nor the read of the bank's settings after each order).
      const calls = (await logEntries(page)).filter((entry) => entry.path !== '/api/health' && !entry.path.endsWith('/faults'));
      const tail = calls.slice(-3).map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
      assert.deepEqual(tail, ['POST /api/orders 401', 'POST /auth/refresh 200', 'POST /api/orders 201']);
      assert.notEqual(await page.textContent('[data-testid="token-claims"]'), before, 'a new access token is in use');

      // When the refresh token is refused as well, the app returns to the login page with a message.
      await backHome(page);
      await page.evaluate(() => {
        window.__shopTest.corruptAccessToken();
        sessionStorage.setItem('shop.refresh_token', 'revoked-or-unknown');
      });
      await page.click('#nav-history');
      await page.waitForSelector('#login-username');
      assert.equal((await page.textContent('[data-testid="login-message"]')).trim(), 'Votre session a expiré, veuillez vous reconnecter.');
    },
  },
  {
    name: 'a double click on "Acheter le panier" places exactly one order',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      // Some bank latency keeps the first request in flight while the second click lands.
      await setFaults(bankUrl, { ...HEALTHY_BANK, latency_ms: 400 });
      try {
        const { quantities } = await twoArticles(apiUrl);
        const username = await signedInPage(page, { siteUrl, apiUrl });
        let posts = 0;
        page.on('request', (request) => {
          if (request.method() === 'POST' && request.url().endsWith('/api/orders')) posts += 1;
        });
        await fillCart(page, quantities);
        await page.dblclick('#buy-button');
        await page.waitForSelector('[data-testid="result"]');
        assert.equal(await page.getAttribute('[data-testid="result"]', 'data-outcome'), 'ok');
        assert.equal(posts, 1, 'one POST /api/orders');
        const { access_token: token } = await loginViaApi(apiUrl, username);
        assert.equal((await ordersViaApi(apiUrl, token)).length, 1, 'one order stored');
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'a lost bank answer: the page says « vérification », locks the cart, turns to « Commande réussie ! » by itself, one payment',
    async run({ page, siteUrl, apiUrl, bankUrl, merchantKey, bankTimeoutMs }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { products, quantities } = await twoArticles(apiUrl);
      const username = await signedInPage(page, { siteUrl, apiUrl });
      const keys = orderKeys(page);
      try {
        // Slower than the orders service waits: the bank records the payment, the shop loses the answer.
        await setFaults(bankUrl, { ...HEALTHY_BANK, latency_ms: bankTimeoutMs * 2 });
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'pending');
        assert.match(await page.textContent('[data-testid="result-heading"]'), /vérification/);
        assert.doesNotMatch(await page.textContent('[data-testid="result"]'), /réessa/i, 'never « réessayez » while the outcome is unknown');
        const orderId = (await page.textContent('[data-testid="order-id"]')).trim();
        assert.ok(orderId.length > 0, 'the PENDING order is named');

        // Meanwhile the cart cannot start a second charge.
        await backHome(page);
        assert.equal(await page.isVisible('[data-testid="cart-locked"]'), true, 'the lock and its reason are shown');
        assert.match(await page.textContent('[data-testid="cart-locked"]'), /vérification/);
        assert.equal(await page.isDisabled('#buy-button'), true, '« Acheter le panier » is disabled');
        assert.equal(await page.isDisabled('#clear-cart'), true, '« Vider » is disabled');
        assert.deepEqual(await page.$$eval('input[data-article]', (inputs) => [...new Set(inputs.map((input) => input.disabled))]), [true], 'quantities are disabled');
        assert.equal(Number(await page.getAttribute('#cart-total', 'data-cents')), expectedCents(products, quantities), 'the cart is kept as sent');
        await page.click('#follow-order');
        await page.waitForSelector('[data-testid="result"][data-outcome="pending"]');

        await setFaults(bankUrl, HEALTHY_BANK);
        await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 20_000 });
        assert.equal(await page.textContent('[data-testid="result-heading"]'), 'Commande réussie !');
        assert.equal((await page.textContent('[data-testid="order-id"]')).trim(), orderId, 'the same order, now final');
        assert.equal(Number(await page.getAttribute('[data-testid="result-total"]', 'data-cents')), expectedCents(products, quantities));

        await backHome(page);
        assert.equal(await page.isHidden('[data-testid="cart-locked"]'), true, 'the cart is unlocked');
        assert.equal(Number(await page.getAttribute('#cart-total', 'data-cents')), 0, 'the paid cart is emptied');
        assert.equal(await page.isDisabled('#buy-button'), true, 'nothing left to buy twice');

        const { access_token: token } = await loginViaApi(apiUrl, username);
        const orders = await ordersViaApi(apiUrl, token);
        assert.deepEqual(
          orders.map((order) => [order.order_id, order.status]),
          [[orderId, 'PAID']],
          'exactly one order, PAID',
        );
        const payment = await bankPayment(bankUrl, merchantKey, orderId);
        assert.equal(payment?.status, 'approved', 'the bank charged it');
        assert.equal(payment.amount, expectedCents(products, quantities));
        assert.equal(new Set(keys).size, 1, `every POST of that cart carried one key (${keys.length} POSTs)`);

        // A new purchase after the final answer is a new order with a new key.
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'ok');
        assert.notEqual(keys.at(-1), keys[0], 'a new key for the new cart');
        assert.equal((await ordersViaApi(apiUrl, token)).filter((order) => order.status === 'PAID').length, 2);
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'an answer lost on the network: the page resends the same POST with the same key and shows the one order',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { quantities } = await twoArticles(apiUrl);
      const username = await signedInPage(page, { siteUrl, apiUrl });
      const keys = orderKeys(page);
      // The first POST reaches the API and is paid, but its answer never reaches the page.
      let lost = false;
      await page.route('**/api/orders', async (route) => {
        if (lost || route.request().method() !== 'POST') return route.fallback();
        lost = true;
        await route.fetch();
        return route.abort('connectionreset');
      });
      await fillCart(page, quantities);
      assert.equal(await buy(page), 'pending');
      assert.match(await page.textContent('[data-testid="result-heading"]'), /vérification/);
      await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 10_000 });
      assert.equal(await page.textContent('[data-testid="result-heading"]'), 'Commande réussie !');
      assert.ok(keys.length >= 2 && new Set(keys).size === 1, `the resend carried the same key (${keys.length} POSTs)`);
      const { access_token: token } = await loginViaApi(apiUrl, username);
      const orders = await ordersViaApi(apiUrl, token);
      assert.deepEqual(
        orders.map((order) => order.status),
        ['PAID'],
        'one order',
      );
      assert.equal((await page.textContent('[data-testid="order-id"]')).trim(), orders[0].order_id);
    },
  },
  {
    name: 'after « Service indisponible » (bank down) the same cart is retried with the same key: exactly one PAID order',
    async run({ page, siteUrl, apiUrl, bankUrl, merchantKey, halfOpenAfterMs }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const { products, quantities } = await twoArticles(apiUrl);
      const username = await signedInPage(page, { siteUrl, apiUrl });
      const keys = orderKeys(page);
      try {
        await setFaults(bankUrl, { ...HEALTHY_BANK, down: true });
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'unavailable');
        assert.equal(await page.textContent('[data-testid="result-heading"]'), UNAVAILABLE);

        // Known uncharged: the cart is not locked, and buying it again resends the same order.
        await backHome(page);
        assert.equal(await page.isHidden('[data-testid="cart-locked"]'), true);
        assert.equal(await page.isVisible('[data-testid="cart-retry-hint"]'), true);
        assert.equal(await page.isEnabled('#buy-button'), true);
        await setFaults(bankUrl, HEALTHY_BANK);
        let outcome = await buy(page);
        // Should an earlier case have left the breaker counting, it may still be open: wait it out, same key.
        for (let attempt = 0; outcome === 'unavailable' && attempt < 3; attempt += 1) {
          await page.waitForTimeout(halfOpenAfterMs + 300);
          await backHome(page);
          outcome = await buy(page);
        }
        assert.equal(outcome, 'ok');
        assert.equal(new Set(keys).size, 1, `the retry reused the key (${keys.length} POSTs)`);

        const { access_token: token } = await loginViaApi(apiUrl, username);
        const orders = await ordersViaApi(apiUrl, token);
        const paid = orders.filter((order) => order.status === 'PAID');
        assert.equal(paid.length, 1, `exactly one PAID order (${orders.map((order) => order.status).join(', ')})`);
        assert.ok(
          orders.every((order) => order.status === 'PAID' || order.status === 'FAILED'),
          'the others FAILED, uncharged',
        );
        const payments = await Promise.all(orders.map((order) => bankPayment(bankUrl, merchantKey, order.order_id)));
        assert.deepEqual(
          payments.filter((payment) => payment !== null).map((payment) => [payment.order_id, payment.status, payment.amount]),
          [[paid[0].order_id, 'approved', expectedCents(products, quantities)]],
          'the bank charged one payment',
        );

        // An edited cart after « Service indisponible » is a new purchase: a new key.
        await setFaults(bankUrl, { ...HEALTHY_BANK, down: true });
        await backHome(page);
        await fillCart(page, quantities);
        assert.equal(await buy(page), 'unavailable');
        const keptKey = keys.at(-1);
        await backHome(page);
        const [first] = Object.keys(quantities);
        await fillCart(page, { [first]: quantities[first] + 1 });
        assert.equal(await page.isHidden('[data-testid="cart-retry-hint"]'), true, 'no « same order » hint for an edited cart');
        assert.equal(await buy(page), 'unavailable');
        assert.notEqual(keys.at(-1), keptKey, 'an edit starts a new key');
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'a reload keeps the session through the refresh token; English switch; logout revokes it',
    async run({ page, siteUrl, apiUrl }) {
      const username = await signedInPage(page, { siteUrl, apiUrl });
      await page.click('#lang-en');
      assert.equal(await page.textContent('#page-title'), 'Articles and cart');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');

      await page.reload();
      await waitForCatalogue(page);
      assert.equal(await page.textContent('#page-title'), 'Articles and cart', 'the language survives a reload');
      assert.match(await page.textContent('[data-testid="current-user"]'), new RegExp(username));
      const refreshCalls = (await logEntries(page)).filter((entry) => entry.path === '/auth/refresh');
      assert.deepEqual(
        refreshCalls.map((entry) => entry.status),
        [200],
        'one silent refresh at start-up',
      );

      const refreshToken = await page.evaluate(() => sessionStorage.getItem('shop.refresh_token'));
      assert.ok(refreshToken);
      await page.click('#logout');
      await page.waitForSelector('#login-username');
      assert.equal((await page.textContent('[data-testid="login-message"]')).trim(), 'You are signed out.');
      // Only the panel's lesson progress outlives a logout (it is the student's, not the account's).
      const left = await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key !== 'shop.lessons'));
      assert.deepEqual(left, [], 'nothing of the session left in sessionStorage');
      const reuse = await api(apiUrl, 'POST', '/auth/refresh', { body: { refresh_token: refreshToken } });
      assert.equal(reuse.status, 401, 'the logged-out refresh token is refused');
      await page.click('#lang-fr');
    },
  },
  {
    name: 'every control has a label, the cart works from the keyboard, and the phone layout does not overflow',
    async run({ page, siteUrl, apiUrl, browser }) {
      await signedInPage(page, { siteUrl, apiUrl });
      const unlabeled = await page.$$eval('input, select, textarea, button', (controls) =>
        controls
          .filter((control) => {
            const named = control.labels?.length > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
            return !named && !(control.tagName === 'BUTTON' && control.textContent.trim());
          })
          .map((control) => control.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unlabeled, []);

      await page.focus('#page-title');
      let focusedId = '';
      for (let presses = 0; presses < 20 && focusedId !== 'qty-0'; presses += 1) {
        await page.keyboard.press('Tab');
        focusedId = await page.evaluate(() => document.activeElement?.id ?? '');
      }
      assert.equal(focusedId, 'qty-0', 'Tab reaches the first quantity');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.ok(Number(await page.getAttribute('#cart-total', 'data-cents')) > 0, 'arrow keys change the quantity and the total');
      await page.focus('#buy-button');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="result"]');

      const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      assert.match(csp, new RegExp(`connect-src 'self' ${new URL(apiUrl).origin.replace(/[.]/g, '\\.')}`));

      const phone = await browser.newPage();
      try {
        await phone.setViewportSize({ width: 375, height: 740 });
        const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        await signedInPage(phone, { siteUrl, apiUrl });
        assert.ok((await overflow()) <= 0, 'no horizontal scroll on the home page on a phone');
        assert.equal(await phone.isHidden('[data-testid="panel"]'), true, 'the panel starts folded on a phone');
        await phone.click('#panel-toggle');
        await phone.waitForSelector('[data-testid="breaker-state"]');
        assert.ok((await overflow()) <= 0, 'no horizontal scroll with the panel open');
      } finally {
        await phone.close();
      }
    },
  },
  ...siteCases,
  ...lessonCases,
];
