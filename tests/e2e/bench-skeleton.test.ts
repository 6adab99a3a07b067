import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * The bench's skeleton stack (scripts/bench/lib/skeleton.mjs): both services bundled as `npm start`
 * bundles them, with the authorizer, the orders handler and the bank's payment handler swapped
 * for harness/skeleton-*.ts, and every other handler left as it is.
 */
interface Bundles {
  shop: { folder: string };
  bank: { folder: string };
  remove(): void;
}
const root = path.resolve(__dirname, '../..');
let bundles: Bundles;
let shopDir: string;
let bankDir: string;
beforeAll(async () => {
  const { skeletonBundles } = await import(path.join(root, 'scripts/bench/lib/skeleton.mjs'));
  bundles = await skeletonBundles({ stage: 'test' });
  shopDir = path.join(root, bundles.shop.folder);
  bankDir = path.join(root, 'bank', bundles.bank.folder);
}, 90_000);
afterAll(() => bundles?.remove());

const load = (file: string) => require(file) as { handler: (event: unknown) => Promise<Record<string, unknown>> };

describe('skeletonBundles', () => {
  it("puts the skeleton authorizer in the authorizer's place: it allows any token", async () => {
    const answer = await load(path.join(shopDir, 'functions/authorizer/handler.js')).handler({
      type: 'TOKEN',
      authorizationToken: 'Bearer not-a-token',
      methodArn: 'arn:aws:execute-api:eu-west-3:123456789012:api/test/POST/api/orders',
    });
    expect(answer).toEqual({
      principalId: 'skeleton',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-3:123456789012:api/test/POST/api/orders' }],
      },
    });
  });

  it("puts the skeleton payment in the bank's place: it still refuses a caller without the merchant key", async () => {
    const answer = await load(path.join(bankDir, 'src/handler.js')).handler({ headers: { authorization: 'Bearer wrong' }, body: '{}' });
    expect(answer.statusCode).toBe(401);
  });

  it('swaps the orders handler and leaves the other handlers as they are', () => {
    expect(readFileSync(path.join(shopDir, 'functions/orders/handler.js'), 'utf8')).toContain('ORDER#');
    for (const fn of ['auth/handler', 'orders/reconciler', 'docs/handler']) expect(existsSync(path.join(shopDir, `functions/${fn}.js`))).toBe(true);
    expect(existsSync(path.join(bankDir, 'src/faults-handler.js'))).toBe(true);
    // The real orders handler validates its body with the shop's French messages; the skeleton does not.
    expect(readFileSync(path.join(shopDir, 'functions/orders/handler.js'), 'utf8')).not.toContain('Fraises');
  });
});
