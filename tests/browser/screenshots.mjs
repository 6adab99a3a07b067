// Takes the README's screenshots (docs/screenshots/*.png) by walking through the app once.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { backHome, breakerState, buy, catalogue, fillCart, openLogin, setFaults, signedInPage, waitFor } from './helpers.mjs';

export async function takeScreenshots({ browser, siteUrl, apiUrl, bankUrl, halfOpenAfterMs, bankTimeoutMs, outDir }) {
  await mkdir(outDir, { recursive: true });
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`) });
  const products = await catalogue(apiUrl);
  const cart = { [products[0].article]: 2, [products[1].article]: 1, [products[3]?.article ?? products[2].article]: 3 };

  try {
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: false, error_rate: 0 });
    await openLogin(page, siteUrl);
    await page.fill('#login-username', 'marie');
    await shot('login');

    await signedInPage(page, { siteUrl, apiUrl });
    await fillCart(page, cart);
    await waitFor(async () => (await breakerState(page)) === 'closed', { what: 'breaker closed' });
    // The breaker chart under « Envoyer 20 commandes » with the bank down, then back up: first, so that its
    // last minute holds nothing else (docs/learn-with-the-panel.md).
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: true });
    for (let round = 0; round < 3; round += 1) {
      await page.click('#traffic-send');
      await page.waitForSelector('#traffic-send:not([disabled])', { timeout: 15_000 });
      await page.waitForTimeout(700);
    }
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: false });
    await page.waitForTimeout(halfOpenAfterMs + 1200);
    await page.click('#traffic-send');
    await page.waitForSelector('#traffic-send:not([disabled])', { timeout: 15_000 });
    await page.waitForTimeout(1500);
    await page.locator('[data-testid="panel-traffic"]').screenshot({ path: path.join(outDir, 'breaker-chart.png') });

    await shot('home');

    await buy(page);
    await shot('result-ok');

    // The waterfall of that purchase (docs/learn-with-the-panel.md).
    await page.locator('[data-testid="log-row"][data-method="POST"][data-path="/api/orders"]').first().locator('[data-testid="log-trace"]').click();
    await page.waitForSelector('[data-testid="panel-trace"] ol[data-complete="true"]');
    await page.locator('[data-testid="panel-trace"]').screenshot({ path: path.join(outDir, 'trace-waterfall.png') });

    await setFaults(bankUrl, { success_rate: 0, latency_ms: 0, down: false });
    await backHome(page);
    await fillCart(page, cart);
    await buy(page);
    await shot('result-declined');

    // Bank down: the first order calls the bank and FAILS; then until the breaker opens, which answers at once.
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: true });
    await backHome(page);
    await fillCart(page, cart);
    await buy(page);
    await shot('result-bank-down');
    let open = false;
    for (let attempt = 0; attempt < 10 && !open; attempt += 1) {
      await backHome(page);
      await buy(page);
      open = /Disjoncteur/.test((await page.textContent('[data-testid="result-detail"]')) ?? '');
    }
    await shot('result-breaker-open');

    // The trial call outlives the shop's wait: the outcome is unknown and being verified.
    await setFaults(bankUrl, { success_rate: 1, latency_ms: bankTimeoutMs * 2, down: false });
    await page.waitForTimeout(halfOpenAfterMs + 300);
    await backHome(page);
    await buy(page);
    await shot('result-pending');
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: false });
    await page.waitForSelector('[data-testid="result"][data-outcome="ok"]', { timeout: 20_000 });

    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: false });
    await page.waitForTimeout(halfOpenAfterMs + 300);
    await backHome(page);
    await fillCart(page, cart);
    await buy(page);
    await page.click('#nav-history');
    await page.waitForSelector('[data-testid="history-row"]');
    await page.waitForTimeout(1200);
    await shot('history');

    await page.click('#lang-en');
    await page.click('#nav-home');
    await page.waitForSelector('[data-testid="catalogue"]');
    await fillCart(page, cart);
    await shot('home-en');
    await page.click('#lang-fr');

    const phone = await browser.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await signedInPage(phone, { siteUrl, apiUrl });
      await fillCart(phone, cart);
      await phone.screenshot({ path: path.join(outDir, 'mobile-home.png') });
      await buy(phone);
      await phone.click('#nav-history');
      await phone.waitForSelector('[data-testid="history-card"]');
      await phone.screenshot({ path: path.join(outDir, 'mobile-history.png') });
    } finally {
      await phone.close();
    }
  } finally {
    await setFaults(bankUrl, { success_rate: 1, latency_ms: 0, down: false }).catch(() => undefined);
    await page.close();
  }
}
