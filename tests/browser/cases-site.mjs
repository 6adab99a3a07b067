// The browser cases of the site's own behaviour: each point in French and English, at desktop
// width and at 390 px, with axe-core on every page. Cases that switch to English switch back, and cases that
// change the bank's faults put them back.
import assert from 'node:assert/strict';
import { assertAccessible, kb, recordAssets } from './checks.mjs';
import {
  api,
  backHome,
  buy,
  catalogue,
  expectedCents,
  fillCart,
  HEALTHY_BANK,
  loginInUi,
  loginViaApi,
  openLogin,
  PASSWORD,
  registerInUi,
  registerViaApi,
  setFaults,
  setLang,
  signedInPage,
  uniqueUser,
  waitFor,
  waitForCatalogue,
} from './helpers.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const WIDTHS = [
  ['desktop', DESKTOP],
  ['390 px', PHONE],
];

const text = async (page, selector) => ((await page.textContent(selector)) ?? '').trim();

/** Runs `check` in French, then in English, and leaves the page in French. */
async function inBothLanguages(page, check) {
  try {
    await check('fr');
    await setLang(page, 'en');
    await check('en');
  } finally {
    await setLang(page, 'fr').catch(() => undefined);
  }
}

async function userWithOrders(apiUrl, count) {
  const products = await catalogue(apiUrl);
  const username = uniqueUser();
  await registerViaApi(apiUrl, username);
  const { access_token: token } = await loginViaApi(apiUrl, username);
  const placed = [];
  for (let index = 0; index < count; index += 1) {
    const product = products[index % products.length];
    const res = await api(apiUrl, 'POST', '/api/orders', {
      token,
      body: { items: [{ article: product.article, quantity: 1 }] },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    assert.equal(res.status, 201, `order ${index} → ${res.status} ${JSON.stringify(res.body)}`);
    placed.push(res.body.order_id);
  }
  return { username, placed };
}

export const siteCases = [
  {
    name: 'axe: login, home with the panel, result, history and « page introuvable » have no serious or critical violation, FR and EN, desktop and 390 px',
    async run({ page, siteUrl, apiUrl, bankUrl, browser }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const products = await catalogue(apiUrl);
      for (const [label, viewport] of WIDTHS) {
        const tab = await browser.newPage();
        try {
          await tab.setViewportSize(viewport);
          const both = (where) => inBothLanguages(tab, (lang) => assertAccessible(tab, `${where}, ${lang}, ${label}`));
          await openLogin(tab, siteUrl);
          await both('login');
          await signedInPage(tab, { siteUrl, apiUrl });
          if (viewport === PHONE) await tab.click('#panel-toggle');
          await tab.waitForSelector('[data-testid="breaker-state"]');
          await fillCart(tab, { [products[0].article]: 2 });
          await both('home with the panel');
          assert.equal(await buy(tab), 'ok');
          await both('result');
          await tab.click('#nav-history');
          await tab.waitForSelector('[data-testid="history-card"]', { state: 'attached' });
          await both('history');
          await tab.goto(`${siteUrl}/nulle-part`);
          await tab.waitForSelector('[data-testid="not-found"]');
          await both('page introuvable');
        } finally {
          await tab.close();
        }
      }
      void page;
    },
  },
  {
    name: 'page weight as transferred: first load ≤ 40 KB of JS + CSS (brotli), the panel chunk only when opened, ≤ 60 KB in all; hashed assets immutable, HTML revalidated',
    async run({ page, siteUrl, apiUrl }) {
      await page.setViewportSize(PHONE);
      const { assets, stop } = await recordAssets(page);
      await signedInPage(page, { siteUrl, apiUrl });
      await page.waitForLoadState('networkidle');
      const first = [...assets];
      const firstBytes = first.reduce((sum, asset) => sum + asset.transferred, 0);
      assert.ok(first.some((asset) => asset.type === 'stylesheet') && first.some((asset) => asset.type === 'script'), JSON.stringify(first));
      assert.ok(!first.some((asset) => asset.url.includes('/chunks/panel')), 'the panel chunk waits for the panel');
      assert.ok(firstBytes <= 40 * 1024, `first load ${kb(firstBytes)} KB > 40 KB: ${JSON.stringify(first)}`);
      for (const asset of first) {
        assert.equal(asset.encoding, 'br', `${asset.url} is sent compressed`);
        assert.match(asset.cacheControl ?? '', /immutable/, `${asset.url} is cached for good`);
        assert.match(asset.url, /-[A-Z0-9]{8}\.(js|css)$/, `${asset.url} is named by its content`);
      }
      await page.click('#panel-toggle');
      await page.waitForSelector('[data-testid="breaker-state"]');
      await page.waitForLoadState('networkidle');
      const all = assets.reduce((sum, asset) => sum + asset.transferred, 0);
      assert.ok(
        assets.some((asset) => asset.url.includes('/chunks/panel')),
        'the panel chunk loads when the panel opens',
      );
      assert.ok(all <= 60 * 1024, `in all ${kb(all)} KB > 60 KB: ${JSON.stringify(assets)}`);
      console.log(`    page weight: first load ${kb(firstBytes)} KB (JS + CSS, brotli, as transferred), with the panel ${kb(all)} KB`);

      const html = await fetch(`${siteUrl}/history`, { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(html.headers.get('cache-control'), 'no-cache', 'HTML is revalidated');
      assert.equal(html.headers.get('content-encoding'), 'gzip', 'gzip for a client without brotli');
      const again = await fetch(`${siteUrl}/`, { headers: { 'If-None-Match': html.headers.get('etag') ?? '', 'Accept-Encoding': 'gzip' } });
      assert.equal(again.status, 304, 'an unchanged index.html answers 304');
      await stop();
    },
  },
  {
    name: 'login form: rules stated up front, errors under their fields (aria-invalid, aria-describedby), translated from the code, busy label on the pressed button, FR and EN',
    async run({ page, siteUrl, apiUrl }) {
      const taken = uniqueUser();
      await registerViaApi(apiUrl, taken);
      for (const [label, viewport] of WIDTHS) {
        await page.setViewportSize(viewport);
        await openLogin(page, siteUrl);
        await inBothLanguages(page, async (lang) => {
          const where = `${lang}, ${label}`;
          assert.match(await text(page, '[data-testid="username-rules"]'), lang === 'fr' ? /lettres sans accent/ : /letters without accents/, where);
          assert.match(await text(page, '[data-testid="password-rules"]'), lang === 'fr' ? /au moins 8 caractères/ : /at least 8 characters/, where);
          assert.equal(await page.getAttribute('#login-username', 'aria-describedby'), 'username-rules');

          // Refused before sending, as the API would: an accented name, six accented letters (12 bytes, 6 characters).
          await page.fill('#login-username', 'héloïse');
          await page.fill('#login-password', 'éééééé');
          await page.click('#register-submit');
          assert.equal(await page.getAttribute('#login-username', 'aria-invalid'), 'true', where);
          assert.equal(await page.getAttribute('#login-username', 'aria-describedby'), 'login-username-error username-rules');
          assert.match(await text(page, '[data-testid="username-error"]'), lang === 'fr' ? /lettres sans accent/ : /letters without accents/);
          assert.equal(await page.getAttribute('#login-password', 'aria-invalid'), 'true');
          assert.equal(await text(page, '[data-testid="password-error"]'), lang === 'fr' ? 'Au moins 8 caractères (ici 6).' : 'At least 8 characters (this one has 6).');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-username', 'focus on the first field in error');
          await page.fill('#login-password', 'é'.repeat(40));
          await page.click('#register-submit');
          assert.match(
            await text(page, '[data-testid="password-error"]'),
            lang === 'fr' ? /72 octets au plus.*80/ : /72 bytes at most.*80/,
            'bytes named when bytes were the limit hit',
          );

          // The server's refusals, by code: a taken name (under its field), wrong credentials.
          await page.fill('#login-username', taken);
          await page.fill('#login-password', PASSWORD);
          await page.click('#register-submit');
          await page.waitForSelector('#login-username[aria-invalid="true"]');
          assert.equal(await text(page, '[data-testid="username-error"]'), lang === 'fr' ? "Ce nom d'utilisateur existe déjà." : 'This username already exists.');
          await page.fill('#login-password', 'not-the-password');
          await page.click('#login-submit');
          await page.waitForSelector('[data-testid="login-message"] [role="alert"]');
          assert.equal(await text(page, '[data-testid="login-message"]'), lang === 'fr' ? 'Identifiants incorrects.' : 'Incorrect username or password.');
          assert.equal(await page.getAttribute('#login-username', 'aria-invalid'), null, 'no field blamed for wrong credentials');
        });

        // The busy label goes on the button that was pressed.
        let release;
        const held = new Promise((resolve) => {
          release = resolve;
        });
        await page.route('**/auth/register', async (route) => {
          await held;
          await route.continue();
        });
        const fresh = uniqueUser();
        await page.fill('#login-username', fresh);
        await page.fill('#login-password', PASSWORD);
        await page.click('#register-submit');
        await page.waitForSelector('#register-submit[aria-busy="true"]');
        assert.equal(await text(page, '#register-submit'), 'Inscription…');
        assert.equal(await text(page, '#login-submit'), 'Se connecter');
        assert.equal(await page.isDisabled('#login-submit'), true);
        release();
        await waitForCatalogue(page);
        assert.equal(new URL(page.url()).pathname, '/', 'a new account is signed in at once');
        await page.unroute('**/auth/register');
        await page.click('#logout');
        await page.waitForSelector('#login-username');
      }
    },
  },
  {
    name: 'the three 503s are named with the retry delay: bank down and breaker open under « Service indisponible », a lost answer under « vérification », FR and EN',
    async run({ page, siteUrl, apiUrl, bankUrl, bankTimeoutMs, halfOpenAfterMs }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const products = await catalogue(apiUrl);
      const cart = { [products[0].article]: 1 };
      await signedInPage(page, { siteUrl, apiUrl });
      try {
        await setFaults(bankUrl, { ...HEALTHY_BANK, down: true });
        await fillCart(page, cart);
        assert.equal(await buy(page), 'unavailable');
        await inBothLanguages(page, async (lang) => {
          assert.equal(
            await text(page, '[data-testid="result-heading"]'),
            lang === 'fr' ? 'Service indisponible, veuillez réessayer plus tard.' : 'Service unavailable, please try again later.',
          );
          assert.match(
            await text(page, '[data-testid="result-detail"]'),
            lang === 'fr' ? /^Banque en panne : la banque a été appelée.*nouvel essai possible dans \d+ s\.$/ : /^Bank down: the bank was called.*try again in \d+ s\.$/,
          );
          await assertAccessible(page, `result bank down, ${lang}`);
        });

        let detail = '';
        for (let attempt = 0; attempt < 10 && !/Disjoncteur/.test(detail); attempt += 1) {
          await backHome(page);
          assert.equal(await buy(page), 'unavailable');
          detail = await text(page, '[data-testid="result-detail"]');
        }
        await inBothLanguages(page, async (lang) => {
          assert.equal(
            await text(page, '[data-testid="result-heading"]'),
            lang === 'fr' ? 'Service indisponible, veuillez réessayer plus tard.' : 'Service unavailable, please try again later.',
          );
          assert.match(
            await text(page, '[data-testid="result-detail"]'),
            lang === 'fr'
              ? /^Disjoncteur ouvert : la banque n’a pas été appelée.*nouvel essai possible dans \d+ s\.$/
              : /^Circuit breaker open: the bank was not called.*try again in \d+ s\.$/,
          );
        });

        // A trial call that outlives the shop's wait: the outcome is unknown, the page says « vérification ».
        await setFaults(bankUrl, { ...HEALTHY_BANK, latency_ms: bankTimeoutMs * 2 });
        await page.waitForTimeout(halfOpenAfterMs + 300);
        await backHome(page);
        assert.equal(await buy(page), 'pending');
        await inBothLanguages(page, async (lang) => {
          assert.equal(
            await text(page, '[data-testid="result-heading"]'),
            lang === 'fr' ? 'Paiement en cours de vérification : ne repassez pas commande.' : 'Payment being verified: do not order again.',
          );
          assert.match(await text(page, '[data-testid="result-detail"]'), lang === 'fr' ? /^La banque n’a pas répondu à temps/ : /^The bank did not answer in time/);
          assert.doesNotMatch(await text(page, '[data-testid="result"]'), /réessa|try again/i, 'never « réessayez » while the outcome is unknown');
          await assertAccessible(page, `result pending, ${lang}`);
        });
        await setFaults(bankUrl, HEALTHY_BANK);
        await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 20_000 });
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'phone (390 px): history as cards with total and status in view; the panel scrolls into view and takes focus; /api/health polled only while it is open and the page visible',
    async run({ page, siteUrl, apiUrl }) {
      const { username } = await userWithOrders(apiUrl, 3);
      await page.setViewportSize(PHONE);
      let polls = 0;
      page.on('request', (request) => {
        if (request.url().endsWith('/api/health')) polls += 1;
      });
      await openLogin(page, siteUrl);
      await loginInUi(page, username);
      await page.waitForTimeout(2500);
      assert.equal(polls, 0, 'no polling with the panel folded');

      await page.click('#panel-toggle');
      await page.waitForSelector('[data-testid="breaker-state"]');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'panel', 'focus moves to the panel');
      const box = await page.locator('#panel').boundingBox();
      assert.ok(box && box.y >= -1 && box.y < PHONE.height / 2, `the panel is scrolled into view (top at ${box?.y})`);
      await page.waitForTimeout(2200);
      assert.ok(polls >= 2, `polling while open (${polls})`);

      const setVisibility = (state) =>
        page.evaluate((value) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      await page.waitForTimeout(300);
      polls = 0;
      await page.waitForTimeout(2500);
      assert.equal(polls, 0, 'no polling while the page is hidden');
      await setVisibility('visible');
      await page.waitForTimeout(1500);
      assert.ok(polls >= 1, 'polling again once visible');
      await page.click('#panel-toggle');
      await page.waitForTimeout(300);
      polls = 0;
      await page.waitForTimeout(2500);
      assert.equal(polls, 0, 'no polling once folded again');

      await page.click('#nav-history');
      await page.waitForSelector('[data-testid="history-card"]');
      assert.equal(await page.isHidden('[data-testid="history"]'), true, 'no table on a phone');
      await inBothLanguages(page, async (lang) => {
        const cards = await page.$$eval('[data-testid="history-card"]', (elements) =>
          elements.map((card) => {
            const inView = (element) => {
              const rect = element.getBoundingClientRect();
              return rect.width > 0 && rect.left >= 0 && rect.right <= window.innerWidth;
            };
            return {
              total: inView(card.querySelector('[data-testid="card-total"]')),
              status: inView(card.querySelector('[data-status]')),
              statusText: card.querySelector('[data-status]').textContent,
            };
          }),
        );
        assert.equal(cards.length, 3);
        assert.ok(
          cards.every((card) => card.total && card.status),
          `total and status in view (${lang})`,
        );
        assert.equal(cards[0].statusText, lang === 'fr' ? 'Payée' : 'Paid');
      });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'no horizontal scroll');
    },
  },
  {
    name: 'a reload keeps the cart, the last result and the pending Idempotency-Key for the tab; the order is still followed to its end, FR and EN',
    async run({ page, siteUrl, apiUrl, bankUrl, bankTimeoutMs }) {
      await setFaults(bankUrl, HEALTHY_BANK);
      const products = await catalogue(apiUrl);
      const quantities = { [products[0].article]: 2, [products[1].article]: 1 };
      await signedInPage(page, { siteUrl, apiUrl });
      const keys = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/orders')) keys.push(request.headers()['idempotency-key']);
      });
      await fillCart(page, quantities);
      await page.reload();
      await waitForCatalogue(page);
      assert.equal(Number(await page.getAttribute('#cart-total', 'data-cents')), expectedCents(products, quantities), 'the cart survives a reload');
      try {
        await setFaults(bankUrl, { ...HEALTHY_BANK, latency_ms: bankTimeoutMs * 2 });
        assert.equal(await buy(page), 'pending');
        const orderId = await text(page, '[data-testid="order-id"]');
        await page.reload();
        await page.waitForSelector('[data-testid="result"][data-outcome="pending"]');
        assert.equal(await text(page, '[data-testid="order-id"]'), orderId, 'the result survives a reload');
        const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('shop.cart') ?? 'null'));
        assert.equal(stored?.unconfirmed?.idempotencyKey, keys[0], 'the pending key is kept for the tab');
        await inBothLanguages(page, async (lang) => {
          assert.match(await text(page, '[data-testid="result-heading"]'), lang === 'fr' ? /vérification/ : /being verified/);
        });
        await setFaults(bankUrl, HEALTHY_BANK);
        await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 20_000 });
        await page.reload();
        await page.waitForSelector('[data-testid="result"][data-outcome="ok"]');
        assert.equal(new Set(keys).size, 1, 'one key for the one order');
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'paying locks the cart behind a spinner with an accessible label; an out-of-range quantity is said inline, FR and EN, desktop and 390 px',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      await setFaults(bankUrl, { ...HEALTHY_BANK, latency_ms: 1000 });
      try {
        await signedInPage(page, { siteUrl, apiUrl });
        for (const [label, viewport] of WIDTHS) {
          await page.setViewportSize(viewport);
          await inBothLanguages(page, async (lang) => {
            await page.fill('#qty-0', '150');
            assert.equal(
              await text(page, '#qty-0-note'),
              lang === 'fr' ? 'Quantité ramenée à 99 (de 0 à 99, nombre entier).' : 'Quantity set to 99 (a whole number from 0 to 99).',
              label,
            );
            assert.match(await page.getAttribute('#qty-0', 'aria-describedby'), /qty-0-note/);
            await page.fill('#qty-0', '2');
            assert.equal(await page.isHidden('#qty-0-note'), true, 'the note goes once the quantity is valid');
          });
          await page.click('#buy-button');
          await page.waitForSelector('[data-testid="paying"] [data-testid="spinner"]');
          assert.equal(await page.getAttribute('[data-testid="paying"]', 'role'), 'status');
          assert.match(await text(page, '[data-testid="paying"]'), /Paiement en cours/);
          assert.equal(await page.getAttribute('#buy-button', 'aria-busy'), 'true');
          assert.deepEqual(
            await page.$$eval('input[data-article]', (inputs) => [...new Set(inputs.map((input) => input.disabled))]),
            [true],
            'quantities locked while paying',
          );
          assert.equal(await page.isDisabled('#clear-cart'), true);
          await page.waitForSelector('[data-testid="result"]');
          await backHome(page);
        }
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
  {
    name: 'a deep link to /history returns there after login; an unknown path shows « page introuvable » with a link home, FR and EN',
    async run({ page, siteUrl }) {
      for (const lang of ['fr', 'en']) {
        await page.goto(`${siteUrl}/history`);
        await page.waitForSelector('#login-username');
        if (lang === 'en') await setLang(page, 'en');
        try {
          await registerInUi(page, uniqueUser());
          await page.waitForSelector('[data-testid="history-empty"]');
          assert.equal(new URL(page.url()).pathname, '/history');
          assert.equal(await text(page, '#page-title'), lang === 'fr' ? 'Historique des commandes' : 'Order history');

          await page.goto(`${siteUrl}/nulle-part`);
          await page.waitForSelector('[data-testid="not-found"]');
          assert.equal(await text(page, '#page-title'), lang === 'fr' ? 'Page introuvable' : 'Page not found');
          await page.click('#not-found-home');
          await waitForCatalogue(page);
          await page.click('#logout');
          await page.waitForSelector('#login-username');
        } finally {
          if (lang === 'en') await setLang(page, 'fr');
        }
      }
    },
  },
  {
    name: 'server unreachable: plain wording and « Réessayer » on home and history, and both recover by themselves, FR and EN',
    async run({ page, siteUrl, apiUrl }) {
      const { username } = await userWithOrders(apiUrl, 1);
      await openLogin(page, siteUrl);
      await loginInUi(page, username);
      const refuse = (route) => route.abort('connectionrefused');
      await page.route('**/api/products', refuse);
      await page.reload();
      await page.waitForSelector('[data-testid="catalogue-error"]');
      await inBothLanguages(page, async (lang) => {
        assert.equal(
          await text(page, '[data-testid="catalogue-error"]'),
          lang === 'fr'
            ? 'Le serveur ne répond pas. Vérifiez votre connexion : la page réessaie toute seule.'
            : 'The server is not answering. Check your connection: the page tries again by itself.',
        );
        assert.equal(await text(page, '#retry-catalogue'), lang === 'fr' ? 'Réessayer' : 'Retry');
      });
      await page.unroute('**/api/products', refuse);
      await waitForCatalogue(page);

      await page.route('**/api/orders?*', refuse);
      await page.click('#nav-history');
      await page.waitForSelector('[data-testid="history-error"]');
      await inBothLanguages(page, async (lang) => {
        assert.match(await text(page, '[data-testid="history-error"]'), lang === 'fr' ? /^Le serveur ne répond pas/ : /^The server is not answering/);
        assert.equal(await text(page, '#history-retry'), lang === 'fr' ? 'Réessayer' : 'Retry');
      });
      await page.click('#history-retry');
      await page.waitForSelector('[data-testid="history-error"]');
      await page.unroute('**/api/orders?*', refuse);
      await page.waitForSelector('[data-testid="history-row"]', { timeout: 8000 });
    },
  },
  {
    name: 'focus: the h1 shows no box after a click but one after a key, and after the last « Charger plus » focus lands on the first new order, desktop and 390 px',
    async run({ page, siteUrl, apiUrl }) {
      const { username, placed } = await userWithOrders(apiUrl, 12);
      await openLogin(page, siteUrl);
      await loginInUi(page, username);
      const titleOutline = () =>
        page.evaluate(() => (document.activeElement?.id === 'page-title' ? getComputedStyle(document.activeElement).outlineStyle : 'not focused'));
      await page.click('#nav-history');
      await page.waitForSelector('[data-testid="history-row"]');
      assert.equal(await titleOutline(), 'none', 'no focus box for a mouse user');
      await page.focus('#nav-home');
      await page.keyboard.press('Enter');
      await waitForCatalogue(page);
      assert.notEqual(await titleOutline(), 'none', 'a focus box for a keyboard user');
      assert.notEqual(await titleOutline(), 'not focused');

      for (const [label, viewport] of WIDTHS) {
        await page.setViewportSize(viewport);
        await page.click('#nav-history');
        await page.waitForSelector('#history-more');
        await page.focus('#history-more');
        await page.keyboard.press('Enter');
        await waitFor(async () => (await page.$('#history-more')) === null, { what: 'the last page' });
        const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-focus-order'));
        assert.equal(focused, placed[1], `focus on the first order of the last page (${label})`);
        await page.click('#nav-home');
        await waitForCatalogue(page);
      }
    },
  },
  {
    name: 'bank not at its defaults: a notice on load and after an order names what differs, its button restores the defaults, FR and EN, desktop and 390 px',
    async run({ page, siteUrl, apiUrl, bankUrl }) {
      // The bank's documented defaults (a 50 % approval rate, as in the original project).
      assert.equal((await api(bankUrl, 'DELETE', '/faults')).status, 200);
      await signedInPage(page, { siteUrl, apiUrl });
      try {
        assert.equal(await page.isHidden('[data-testid="bank-not-default"]'), true, 'no notice at the defaults');
        for (const [label, viewport] of WIDTHS) {
          await page.setViewportSize(viewport);
          await setFaults(bankUrl, { success_rate: 0, error_rate: 0.5 });
          await page.reload();
          await page.waitForSelector('[data-testid="bank-not-default"]');
          await inBothLanguages(page, async (lang) => {
            assert.match(
              await text(page, '[data-testid="bank-not-default"]'),
              lang === 'fr'
                ? /pas à ses réglages par défaut : succès 0 % \(par défaut \d+ %\), réponses perdues 50 %/
                : /not at its default settings: success 0 % \(default \d+ %\), lost answers 50 %/,
              label,
            );
            await assertAccessible(page, `notice, ${lang}, ${label}`);
          });
          await page.click('#bank-reset');
          await page.waitForSelector('[data-testid="bank-not-default"]', { state: 'detached' });
          const now = await api(bankUrl, 'GET', '/faults');
          assert.equal(now.body.at_defaults, true, 'the bank is back at its defaults');
        }
        // Changed behind the page's back: the next order's answer brings the notice.
        await page.setViewportSize(DESKTOP);
        await setFaults(bankUrl, { success_rate: 0 });
        const products = await catalogue(apiUrl);
        await fillCart(page, { [products[0].article]: 1 });
        assert.equal(await buy(page), 'declined');
        await page.waitForSelector('[data-testid="bank-not-default"]');
      } finally {
        await setFaults(bankUrl, HEALTHY_BANK);
      }
    },
  },
];
