import { beforeAll, describe, expect, it } from '@jest/globals';
import { api, testStack } from '../support/env';
import { type TokenAttack, tokenAttacks } from '../support/forged-tokens';
import { expectConforms } from '../support/openapi';
import { listOrders, NORMAL_FAULTS, newShopper, ORIGINAL_CART, type Shopper, setFaults } from './shop';

/**
 * Every forged or misused token, sent end to end: API → TOKEN authorizer → 401, on both
 * /api/orders routes, and no order written for the user the token names. /auth/validate (the
 * same verification module) answers 401 too. The list is the unit tests' list.
 */
const { env } = testStack();
const forgeFor = (username: string, refreshToken: string) =>
  tokenAttacks({ secret: env.JWT_SECRET ?? '', nowSeconds: Math.floor(Date.now() / 1000), subject: username, refreshToken });
const descriptions = forgeFor('placeholder', 'placeholder').map((attack) => attack.description);

let victim: Shopper;
let attacks: TokenAttack[];
beforeAll(async () => {
  await setFaults(NORMAL_FAULTS);
  victim = await newShopper('victim');
  attacks = forgeFor(victim.username, victim.refreshToken);
});

async function expectRefused(authorization: string | undefined): Promise<void> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const post = await api('POST', '/api/orders', ORIGINAL_CART, { ...headers, 'idempotency-key': 'forged' });
  const get = await api('GET', '/api/orders', undefined, headers);
  expect([post.status, get.status]).toEqual([401, 401]);
  expectConforms('POST', '/api/orders', post);
  expectConforms('GET', '/api/orders', get);
}

describe('forged and misused access tokens → 401 through the authorizer, nothing written', () => {
  it.each(descriptions.map((description, index) => [description, index] as const))('%s', async (_description, index) => {
    // Prepare
    const attack = attacks[index]!;
    const token = await attack.token();

    // Act + Assess
    await expectRefused(`Bearer ${token}`);
    const validate = await api('POST', '/auth/validate', { token });
    expect(validate.status).toBe(401);
    expect(validate.body.code).toBe(attack.expected);
    expectConforms('POST', '/auth/validate', validate);
    expect((await listOrders(victim)).body.orders).toEqual([]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty Bearer', 'Bearer '],
    ['garbage', 'Bearer garbage'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['another scheme (Basic)', `Basic ${Buffer.from('test:1234').toString('base64')}`],
  ])('a malformed Authorization header: %s', async (_description, header) => {
    await expectRefused(header);
  });

  it('a real token without the Bearer scheme', async () => {
    await expectRefused(victim.token);
    expect((await listOrders(victim)).body.orders).toEqual([]);
  });

  it('the victim’s own token still works (the refusals were not a broken stack)', async () => {
    const response = await api('POST', '/api/orders', ORIGINAL_CART, victim.auth);
    expect([201, 402]).toContain(response.status);
    expectConforms('POST', '/api/orders', response);
  });
});
