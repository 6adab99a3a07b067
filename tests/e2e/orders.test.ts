import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cartFingerprint, priceCart } from '../../functions/orders/catalogue';
import { newOrderId } from '../../functions/orders/order-id';
import { createOrdersRepository } from '../../functions/orders/orders-repository';
import { hashKey } from '../../functions/orders/place-order';
import { type ApiResponse, api, bank, testDynamo, testStack, uniqueName } from '../support/env';
import { bankPayment, getOrder, listOrders, NORMAL_FAULTS, newShopper, ORIGINAL_CART, PENDING, placeOrder, type Shopper, setFaults, sleep } from './shop';

const { table } = testStack();

beforeAll(() => setFaults(NORMAL_FAULTS));
afterAll(() => setFaults(NORMAL_FAULTS));

describe('the original README’s flow (port aside)', () => {
  it('logs in as test / 1234 and places the documented order: 201 or 402 with a status', async () => {
    // Prepare
    const login = await api('POST', '/auth/login', { username: 'test', password: '1234' });
    expect(login.status).toBe(200);

    // Act
    const response = await api('POST', '/api/orders', ORIGINAL_CART, { authorization: `Bearer ${login.body.access_token}` });

    // Assess
    expect([201, 402]).toContain(response.status);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    if (response.status === 201) {
      expect(response.body).toMatchObject({ status: 'ok', total: 5, total_cents: 500, order_status: 'PAID' });
    } else {
      expect(response.body).toMatchObject({ status: 'error', code: 'PAYMENT_DECLINED', order_status: 'DECLINED' });
      expect(typeof response.body.message).toBe('string');
    }
    expect(response.body.order_id).toMatch(/^[0-9A-Z]{26}$/);
    expect(response.body.items).toEqual([{ article: 'Fraises (barquette de 250g)', quantity: 2, unit_price: 2.5, total_price: 5 }]);
  });

  it('serves the catalogue publicly', async () => {
    const response = await api('GET', '/api/products');
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(7);
    expect(response.body[0]).toEqual({ id: 'fraises', article: 'Fraises (barquette de 250g)', unit_price: 2.5, currency: 'EUR' });
  });

  it('reports the breaker and the bank’s settings on /api/health', async () => {
    const response = await api('GET', '/api/health');
    expect(response.status).toBe(200);
    // The order above made a bank call with the shop's merchant key, which the bank accepted.
    expect(response.body).toMatchObject({ breaker: 'closed', merchant_credential: 'accepted', bank: NORMAL_FAULTS });
  });
});

describe('the token authorizer on /api/orders (forged and misused tokens: token-attacks.test.ts)', () => {
  let shopper: Shopper;
  beforeAll(async () => {
    shopper = await newShopper('authz');
  });

  it('takes the username from the token only, never from the body', async () => {
    const response = await placeOrder(shopper, { ...ORIGINAL_CART, username: 'test' });
    expect(response.status).toBe(400);
    const placed = await placeOrder(shopper);
    expect([201, 402]).toContain(placed.status);
    const mine = await listOrders(shopper);
    expect(mine.body.orders.map((order: { order_id: string }) => order.order_id)).toContain(placed.body.order_id);
  });
});

describe('POST /api/orders refuses bad input with a 4xx and writes nothing', () => {
  let shopper: Shopper;
  beforeAll(async () => {
    shopper = await newShopper('bad');
  });
  const line = (overrides: Record<string, unknown>) => ({ items: [{ article: 'Fraises', quantity: 1, ...overrides }] });
  const cases: Array<{ description: string; body: unknown; headers?: Record<string, string>; status: number; code: string }> = [
    { description: 'a tampered price', body: line({ quantity: 2, total_price: 0.01 }), status: 422, code: 'PRICE_MISMATCH' },
    { description: 'a price off by a cent', body: line({ quantity: 2, total_price: 4.99 }), status: 422, code: 'PRICE_MISMATCH' },
    { description: 'an unknown article', body: line({ article: 'Caviar' }), status: 422, code: 'UNKNOWN_ARTICLE' },
    {
      description: 'merged quantities above 99',
      body: {
        items: [
          { article: 'Laine', quantity: 50 },
          { article: 'laine', quantity: 50 },
        ],
      },
      status: 422,
      code: 'QUANTITY_TOO_LARGE',
    },
    { description: 'quantity 0', body: line({ quantity: 0 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'quantity 100', body: line({ quantity: 100 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a fractional quantity', body: line({ quantity: 1.5 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a negative quantity', body: line({ quantity: -1 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a quantity given as a string', body: line({ quantity: '2' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a negative total_price', body: line({ total_price: -2.5 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a total_price given as a string', body: line({ total_price: '2.5' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'no items', body: { items: [] }, status: 400, code: 'VALIDATION_FAILED' },
    { description: '51 lines', body: { items: Array.from({ length: 51 }, () => ({ article: 'Laine', quantity: 1 })) }, status: 400, code: 'VALIDATION_FAILED' },
    { description: 'items not an array', body: { items: { article: 'Laine', quantity: 1 } }, status: 400, code: 'VALIDATION_FAILED' },
    { description: 'an empty article name', body: line({ article: '' }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'an extra field in a line', body: line({ unit_price: 0.01 }), status: 400, code: 'VALIDATION_FAILED' },
    { description: 'a JSON array', body: [ORIGINAL_CART], status: 400, code: 'VALIDATION_FAILED' },
    { description: 'broken JSON', body: '{"items": [', status: 400, code: 'INVALID_JSON' },
    { description: 'a NUL in the article', body: line({ article: 'Frai\u0000ses' }), status: 400, code: 'INVALID_CHARACTERS' },
    { description: 'a form body', body: 'items=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { description: 'an empty Idempotency-Key', body: ORIGINAL_CART, headers: { 'idempotency-key': '' }, status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
    {
      description: 'a 256-character Idempotency-Key',
      body: ORIGINAL_CART,
      headers: { 'idempotency-key': 'k'.repeat(256) },
      status: 400,
      code: 'INVALID_IDEMPOTENCY_KEY',
    },
    { description: 'a non-ASCII Idempotency-Key', body: ORIGINAL_CART, headers: { 'idempotency-key': 'clé' }, status: 400, code: 'INVALID_IDEMPOTENCY_KEY' },
  ];

  it.each(cases)('$description → $status $code', async ({ body, headers, status, code }) => {
    const response = await placeOrder(shopper, body, { 'idempotency-key': 'bad-input-key', ...headers });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ code });
    expect(typeof response.body.message).toBe('string');
  });

  it('left no order and no key claim behind', async () => {
    expect((await listOrders(shopper)).body.orders).toEqual([]);
    // The key was never recorded: it still accepts any cart.
    const fresh = await placeOrder(shopper, { items: [{ article: 'Cookies', quantity: 3 }] }, { 'idempotency-key': 'bad-input-key' });
    expect([201, 402]).toContain(fresh.status);
  });

  it('accepts the 255-character key and every printable ASCII character', async () => {
    const printable = ' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~';
    const key = `${(printable + 'x'.repeat(255)).slice(0, 255).trim()}z`;
    const response = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key.slice(-255) });
    expect([201, 402]).toContain(response.status);
  });
});

describe('Idempotency-Key over HTTP', () => {
  let shopper: Shopper;
  beforeAll(async () => {
    shopper = await newShopper('idem');
  });

  it('replays the first response, with one order and one bank call', async () => {
    const key = uniqueName('key');
    const first = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
    const again = await placeOrder(shopper, { items: [{ article: 'fraises', quantity: 2 }] }, { 'idempotency-key': key });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const orders = (await listOrders(shopper)).body.orders.filter((order: { order_id: string }) => order.order_id === first.body.order_id);
    expect(orders).toHaveLength(1);
    expect((await bankPayment(first.body.order_id)).body.calls).toBe(1);
  });

  it('refuses the same key with another cart (422)', async () => {
    const key = uniqueName('key');
    await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
    const other = await placeOrder(shopper, { items: [{ article: 'Laine', quantity: 1 }] }, { 'idempotency-key': key });
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('answers 409 to a duplicate sent while the first is still at the bank', async () => {
    await setFaults({ latency_ms: 400 });
    try {
      const key = uniqueName('key');
      const [a, b] = await Promise.all([
        placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key }),
        sleep(100).then(() => placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key })),
      ]);
      expect([201, 402]).toContain(a.status);
      expect(b).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_IN_PROGRESS' } });
      expect(b.headers.get('retry-after')).toBe('1');
    } finally {
      await setFaults({ latency_ms: 0 });
    }
  });

  it('replays a decline as a decline', async () => {
    await setFaults({ success_rate: 0 });
    try {
      const key = uniqueName('key');
      const first = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
      await setFaults({ success_rate: 1 });
      const again = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });
      expect(first.status).toBe(402);
      expect(again).toMatchObject({ status: 402, body: { order_id: first.body.order_id, status: 'error' } });
    } finally {
      await setFaults({ success_rate: 0.5 });
    }
  });

  it('settles an order a crash left PENDING by asking the bank, on a retry with the same key', async () => {
    // Prepare: what a crash between the bank's answer and the status update leaves behind.
    const key = uniqueName('key');
    const cart = priceCart(ORIGINAL_CART.items);
    const orders = createOrdersRepository(testDynamo(), table('orders'));
    // A few seconds old: a younger PENDING order is taken for a request still in flight (409).
    const now = Date.now() - 5000;
    const orderId = newOrderId(now);
    await orders.create(
      {
        orderId,
        username: shopper.username,
        status: 'PENDING',
        lines: cart.lines,
        totalCents: 500,
        currency: 'EUR',
        createdAt: new Date(now).toISOString(),
        updatedAt: new Date(now).toISOString(),
      },
      { keyHash: hashKey(key), orderId, fingerprint: cartFingerprint(cart), expiresAt: Math.floor(now / 1000) + 3600 },
    );
    const charged = await bank('POST', '/pay', { order_id: orderId, amount: 500, currency: 'EUR' });

    // Act
    const retry = await placeOrder(shopper, ORIGINAL_CART, { 'idempotency-key': key });

    // Assess
    expect(retry.status).toBe(charged.status === 200 ? 201 : 402);
    expect(retry.body.order_id).toBe(orderId);
    expect((await bankPayment(orderId)).body.calls).toBe(1);
    expect((await orders.find(shopper.username, orderId))?.status).toBe(charged.status === 200 ? 'PAID' : 'DECLINED');
  });
});

describe('GET /api/orders', () => {
  it('pages through the caller’s own orders, newest first; user A never sees user B’s orders', async () => {
    // Prepare
    const alice = await newShopper('alice');
    const bob = await newShopper('bob');
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) placed.push((await placeOrder(alice)).body.order_id);
    const bobs = (await placeOrder(bob)).body.order_id;

    // Act
    const seen: Array<{ order_id: string; status: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await listOrders(alice, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.orders);
      cursor = page.body.next_cursor;
    } while (cursor);

    // Assess
    expect(seen.map((order) => order.order_id)).toEqual([...placed].reverse());
    expect(seen.every((order) => order.status === 'PAID' || order.status === 'DECLINED')).toBe(true);
    const bobsList = await listOrders(bob);
    expect(bobsList.body.orders.map((order: { order_id: string }) => order.order_id)).toEqual([bobs]);
    // Alice's cursor in Bob's hands pages through Bob's orders only.
    const firstPage = await listOrders(alice, '?limit=1');
    const borrowed = await listOrders(bob, `?limit=10&cursor=${firstPage.body.next_cursor}`);
    expect(borrowed.body.orders.every((order: { order_id: string }) => !placed.includes(order.order_id))).toBe(true);
  });

  it.each(['?limit=0', '?limit=101', '?limit=abc', '?cursor=not-a-cursor'])('refuses %s with 400', async (query) => {
    const shopper = await newShopper('q');
    const response = await listOrders(shopper, query);
    expect(response.status).toBe(400);
    expect(typeof response.body.code).toBe('string');
  });
});

describe('GET /api/orders/{order_id}', () => {
  let alice: Shopper;
  let bob: Shopper;
  beforeAll(async () => {
    alice = await newShopper('reader');
    bob = await newShopper('stranger');
  });

  it('shows the caller’s own order; another user’s is 404 as if it did not exist; a malformed id is 400', async () => {
    // Prepare
    const placed = await placeOrder(alice);
    expect([201, 402]).toContain(placed.status);
    const unknownId = newOrderId(Date.now());

    // Act
    const own = await getOrder(alice, placed.body.order_id);
    const others = await getOrder(bob, placed.body.order_id);
    const unknown = await getOrder(alice, unknownId);
    const malformed = await Promise.all(['not.an.id', 'x'.repeat(65), '%20'].map((id) => getOrder(alice, id)));

    // Assess
    expect(own.status).toBe(200);
    expect(own.body).toEqual({
      order_id: placed.body.order_id,
      status: placed.body.order_status,
      total: 5,
      total_cents: 500,
      currency: 'EUR',
      items: placed.body.items,
      created_at: placed.body.created_at,
      updated_at: placed.body.updated_at,
    });
    expect(others).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(others.body).toEqual(unknown.body);
    for (const response of malformed) expect(response).toMatchObject({ status: 400, body: { code: 'INVALID_ORDER_ID' } });
  });

  it('needs a token', async () => {
    const placed = await placeOrder(alice);
    expect((await api('GET', `/api/orders/${placed.body.order_id}`)).status).toBe(401);
  });

  it('reads an order whose bank answer was lost as PAID once the bank has it, with exactly one payment', async () => {
    // Prepare: the bank records the payment, then answers after the shop has given up (BANK_TIMEOUT_MS).
    const timeoutMs = Number(testStack().env.BANK_TIMEOUT_MS ?? 1500);
    await setFaults({ success_rate: 1, latency_ms: Math.max(3000, timeoutMs + 1000) });
    let lost: ApiResponse;
    try {
      lost = await placeOrder(alice);
    } finally {
      await setFaults({ latency_ms: 0 });
    }
    expect(lost).toMatchObject({ status: 503, body: { ...PENDING, order_status: 'PENDING', order_id: expect.any(String) } });
    const orderId: string = lost.body.order_id;

    // Act: the customer looks at the order, twice.
    const read = await getOrder(alice, orderId);
    const again = await getOrder(alice, orderId);

    // Assess: settled from the bank's record on read; the read charged nothing more.
    expect(read).toMatchObject({ status: 200, body: { order_id: orderId, status: 'PAID', total_cents: 500 } });
    expect(read.body.failure_reason).toBeUndefined();
    expect(again.body).toEqual(read.body);
    expect((await bankPayment(orderId)).body).toMatchObject({ order_id: orderId, status: 'approved', amount: 500, currency: 'EUR', calls: 1 });
    expect((await listOrders(alice)).body.orders.find((order: { order_id: string }) => order.order_id === orderId)).toMatchObject({ status: 'PAID' });
  });
});
