// Checks shared by the browser cases: axe-core run inside the page, and the bytes a page load transferred.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let axeSource;

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation. The script is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function assertAccessible(page, where) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.nodes
            .map((node) => node.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
  assert.deepEqual(violations, [], `axe on ${where}`);
}

/**
 * Records every script and stylesheet the page receives through the DevTools protocol: `transferred` is
 * what came over the wire (compressed body and headers), as the browser's network panel counts it.
 */
export async function recordAssets(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = new Map();
  const assets = [];
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    if (type !== 'Script' && type !== 'Stylesheet') return;
    const header = (name) => Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? null;
    seen.set(requestId, { url: new URL(response.url).pathname, type: type.toLowerCase(), encoding: header('content-encoding'), cacheControl: header('cache-control') });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const asset = seen.get(requestId);
    if (asset) assets.push({ ...asset, transferred: encodedDataLength });
  });
  return { assets, stop: () => cdp.detach() };
}

export const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
