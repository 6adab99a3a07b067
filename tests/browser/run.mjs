#!/usr/bin/env node
// Browser tests of the SPA, in Debian's Chromium driven by playwright-core, against the real local stack
// (DynamoDB Local + serverless-offline through scripts/local/stack.mjs).
//
//   node tests/browser/run.mjs                 all cases against the real stack
//   node tests/browser/run.mjs --only history  cases whose name contains "history"
//   node tests/browser/run.mjs --screenshots   also refresh docs/screenshots/*.png
//
// Prints `N passed, N failed` last and exits non-zero on failure; a failing case leaves a screenshot in
// tests/browser/artifacts/.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort } from '../../scripts/local/ports.mjs';
import { createTraceCollector } from '../../scripts/local/trace-collector.mjs';
import { buildSite } from '../../scripts/site/build.mjs';
import { serveSite } from '../../scripts/site/serve.mjs';
import { cases } from './cases.mjs';
import { takeScreenshots } from './screenshots.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const artifactsDir = path.join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
// Short, so the breaker case can watch the breaker recover without a long wait.
const HALF_OPEN_AFTER_MS = 2000;
// The orders service's wait for the bank (its default, set here so the cases can rely on it): a bank
// latency above it loses the bank's answer and leaves the order PENDING.
const BANK_TIMEOUT_MS = 1500;

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    screenshots: { type: 'boolean', default: false },
  },
});

/** The stack, every line of its two serverless-offline processes fed to `collector` (at INFO: the request lines it reads), as npm start does. */
async function startApi(siteOrigin, collector) {
  const harness = path.join(repoRoot, 'scripts/local/stack.mjs');
  if (!existsSync(harness)) throw new Error(`${path.relative(repoRoot, harness)} is missing: the browser tests need the real stack harness`);
  const { startStack } = await import(harness);
  return startStack({
    env: {
      SITE_ORIGIN: siteOrigin,
      BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS),
      BANK_TIMEOUT_MS: String(BANK_TIMEOUT_MS),
      LOG_LEVEL: 'INFO',
    },
    log: (line) => console.log(`[stack] ${line}`),
    onLine: collector.onLine,
  });
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const selected = cases.filter((testCase) => !options.only || testCase.name.includes(options.only));
  const cleanups = [];
  let passed = 0;
  let failed = 0;
  try {
    const sitePort = await freePort();
    const siteOrigin = `http://localhost:${sitePort}`;
    // The stack's own processes pick free ports too: hold the site's until the site can listen on it.
    const placeholder = net.createServer().listen(sitePort, '127.0.0.1');
    await once(placeholder, 'listening');
    const started = Date.now();
    // The site's own origin serves the traces (/_local/*), as under npm start.
    const collector = createTraceCollector();
    let api;
    try {
      api = await startApi(siteOrigin, collector);
    } finally {
      await new Promise((resolve) => placeholder.close(resolve));
    }
    cleanups.push(() => api.stop());
    console.log(`[browser] API ${api.apiUrl}, bank ${api.bankUrl} ready in ${Date.now() - started} ms`);

    const siteDir = await mkdtemp(path.join(os.tmpdir(), 'shop-site-'));
    cleanups.push(() => rm(siteDir, { recursive: true, force: true }));
    await buildSite({ outDir: siteDir, apiUrl: api.apiUrl, bankUrl: api.bankUrl, testHooks: true });
    const site = await serveSite({ dir: siteDir, port: sitePort, host: '127.0.0.1', handle: collector.handle });
    cleanups.push(() => site.close());

    const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-chromium-'));
    cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
    });
    cleanups.push(() => browser.close());

    const env = {
      siteUrl: site.url,
      apiUrl: api.apiUrl,
      bankUrl: api.bankUrl,
      // Lets a case read the bank's payments (server to server), to count what was really charged.
      merchantKey: api.env?.MERCHANT_KEY,
      bankTimeoutMs: BANK_TIMEOUT_MS,
      halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      browser,
      // What the stack logged, by trace (a case can wait for a trace before it reads the site's view of it).
      collector,
    };
    for (const testCase of selected) {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      const pageErrors = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
      });
      const caseStarted = Date.now();
      try {
        await testCase.run({ ...env, page });
        if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join(' | ')}`);
        passed += 1;
        console.log(`  ✓ ${testCase.name} (${Date.now() - caseStarted} ms)`);
      } catch (error) {
        failed += 1;
        await mkdir(artifactsDir, { recursive: true });
        const shot = path.join(artifactsDir, `${testCase.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        console.log(
          `  ✗ ${testCase.name}\n    ${String(error?.stack ?? error)
            .split('\n')
            .slice(0, 6)
            .join('\n    ')}\n    screenshot: ${path.relative(repoRoot, shot)}`,
        );
      } finally {
        await page.close().catch(() => undefined);
      }
    }

    if (options.screenshots) {
      const outDir = path.join(repoRoot, 'docs/screenshots');
      await takeScreenshots({ ...env, outDir });
      console.log(`[browser] screenshots written to ${path.relative(repoRoot, outDir)}/`);
    }
  } catch (error) {
    failed += 1;
    console.error(`[browser] setup failed: ${error?.stack ?? error}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(`[browser] cleanup: ${error.message}`));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
