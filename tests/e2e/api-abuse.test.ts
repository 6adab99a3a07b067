import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type ApiResponse, api, bank, send, testDocumentClient, testStack } from '../support/env';
import {
  bankContract,
  type Contract,
  expectConforms,
  isGatewayAnswer,
  type JsonSchema,
  type OperationRef,
  type Parameter,
  type SentRequest,
  shopContract,
} from '../support/openapi';
import { rawHttp } from '../support/raw-http';
import { bodyText, contentType, NASTY_STRINGS, validValue } from '../support/request-arbitraries';
import { TABLES, type TableCounts, type TableName, tableCounts } from '../support/tables';
import { NORMAL_FAULTS, newShopper, type Shopper, setFaults } from './shop';

/**
 * Requests generated from the documents' schemas (fast-check, fixed seed) against every route:
 * the shop's (openapi.yaml) and the bank's (bank/openapi.yaml, with the merchant key — and
 * without it, where every answer is 401). Whatever is sent, the answer is a documented 2xx or 4xx with a body that matches the
 * document — never a 5xx; what the document refuses (media type, size, JSON, characters,
 * schema, Idempotency-Key) is refused with the status it names; and the tables hold exactly
 * what the accepted requests wrote: nothing for a refused one.
 */
const SEED = 20_260_601;
const { table, bankTable, bankUrl, env } = testStack();
const db = testDocumentClient();
/** The shop's tables, and the bank's own (`shop-bank-<stage>-…`) under their short names. */
const tableOf = (name: TableName): string => (name === 'bank-payments' ? bankTable('payments') : name === 'bank-faults' ? bankTable('faults') : table(name));
const MERCHANT = { authorization: `Bearer ${env.MERCHANT_KEY}` };
let shopper: Shopper;

beforeAll(async () => {
  await setFaults(NORMAL_FAULTS);
  shopper = await newShopper('abuse');
});
afterAll(() => setFaults(NORMAL_FAULTS));

interface Answer {
  status: number;
  body: any;
  replayed: boolean;
  keyed: boolean;
}

/** What an answer may have written, per table: [least, most] items added. */
type Writes = Partial<Record<TableName, [number, number]>>;
const exactly = (n: number): [number, number] => [n, n];

/** The items each operation may add, by answer; anything not named adds nothing. */
const WRITES: Record<string, (answer: Answer) => Writes> = {
  register: ({ status }) => (status === 201 ? { users: exactly(1) } : {}),
  // Every checked attempt is counted (one item per name); a success clears the count and opens a session.
  login: ({ status }) => (status === 200 ? { 'refresh-tokens': exactly(2), 'login-attempts': [-1, 0] } : status === 401 ? { 'login-attempts': [0, 1] } : {}),
  refresh: ({ status }) => (status === 200 ? { 'refresh-tokens': exactly(1) } : {}),
  // With a key, the order and its key's claim (both in the orders table).
  placeOrder: ({ status, replayed, keyed }) => ((status === 201 || status === 402) && !replayed ? { orders: exactly(keyed ? 2 : 1), 'bank-payments': exactly(1) } : {}),
  pay: ({ status, body }) => ((status === 200 || status === 402) && body?.calls === 1 ? { 'bank-payments': exactly(1) } : {}),
};

function expectWrites(operationId: string, before: TableCounts, after: TableCounts, answers: Answer[]): void {
  const writes: (answer: Answer) => Writes = WRITES[operationId] ?? (() => ({}));
  for (const name of TABLES) {
    const [least, most] = answers.map((answer) => writes(answer)[name] ?? exactly(0)).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
    const added = after[name] - before[name];
    expect({ table: name, added, within: added >= least && added <= most }).toEqual({ table: name, added, within: true });
  }
}

const operation = (operationId: string, contract: Contract = shopContract): OperationRef => {
  const found = contract.operations().find((ref) => ref.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in ${contract.file}`);
  return found;
};
const requestSchema = (ref: OperationRef, contract: Contract = shopContract): JsonSchema =>
  contract.resolveRefs(ref.operation.requestBody!.content['application/json']!.schema);
const parameterSchema = (ref: OperationRef, name: string, contract: Contract = shopContract): JsonSchema =>
  (contract.resolveRefs(ref.operation.parameters ?? []) as Parameter[]).find((parameter) => parameter.name === name)!.schema;

/** HTTP trims a header value; this is what the server receives. */
const trimHeader = (value: string) => value.replace(/^[\t ]+|[\t ]+$/g, '');

interface Generated extends SentRequest {
  path: string;
}

interface Target {
  contract: Contract;
  /** Where the document's paths are served: the shop's API, or the bank's (its paths start with /bank). */
  baseUrl: string | undefined;
  /** Every answer must be this refusal, whatever the request (a bank route without the merchant key). */
  refusedWith?: number;
}
const SHOP: Target = { contract: shopContract, baseUrl: undefined };
const BANK: Target = { contract: bankContract, baseUrl: bankUrl.replace(/\/bank$/, '') };

/** Sends one generated request and checks its answer against the document. */
async function sendAndCheck(ref: OperationRef, request: Generated, auth: Record<string, string>, target: Target): Promise<Answer> {
  const headers: Record<string, string> = { ...auth, ...request.headers };
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const response: ApiResponse = await send(ref.method, request.path, { headers, body: request.text, baseUrl: target.baseUrl });

  const context = `${ref.method} ${request.path} ${JSON.stringify({ contentType: request.contentType, headers: request.headers, text: request.text?.slice(0, 300) })}`;
  expect({ context, status: response.status, serverError: response.status >= 500 }).toEqual({ context, status: response.status, serverError: false });
  if (isGatewayAnswer(response.body)) {
    expect(response.status).toBeGreaterThanOrEqual(400);
  } else {
    target.contract.expectConforms(ref.method, request.path, response);
    const refusal =
      target.refusedWith ??
      target.contract.requiredRefusal(ref, { ...request, headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, trimHeader(v)])) });
    if (refusal !== undefined) expect({ context, status: response.status }).toEqual({ context, status: refusal });
  }
  const keyed = request.headers?.['idempotency-key'] !== undefined;
  return { status: response.status, body: response.body, replayed: response.headers.get('idempotent-replayed') === 'true', keyed };
}

async function fuzz(
  operationId: string,
  requests: fc.Arbitrary<Generated>,
  numRuns: number,
  options: { auth?: boolean | Record<string, string>; target?: Target; after?: (answer: Answer) => Promise<void> } = {},
) {
  // Prepare
  const target = options.target ?? SHOP;
  const ref = operation(operationId, target.contract);
  const auth = options.auth === true ? shopper.auth : options.auth || {};
  const before = await tableCounts(db, tableOf);
  const answers: Answer[] = [];

  // Act + Assess each answer
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      const answer = await sendAndCheck(ref, request, auth, target);
      answers.push(answer);
      await options.after?.(answer);
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );

  // Assess the tables
  expectWrites(target.refusedWith ? 'refused' : operationId, before, await tableCounts(db, tableOf), answers);
  const histogram: Record<number, number> = {};
  for (const { status } of answers) histogram[status] = (histogram[status] ?? 0) + 1;
  process.stdout.write(`abuse ${ref.method} ${ref.path}: ${answers.length} requests → ${JSON.stringify(histogram)}\n`);
  return answers;
}

const jsonRequests = (ref: OperationRef, contract: Contract = shopContract) =>
  fc.record({ path: fc.constant(ref.path), text: bodyText(requestSchema(ref, contract)), contentType }) as fc.Arbitrary<Generated>;

describe('generated requests get a documented 2xx/4xx, never a 5xx, and refused ones write nothing', () => {
  it('POST /auth/register', async () => {
    await fuzz('register', jsonRequests(operation('register')), 40);
  }, 60_000);

  it('POST /auth/login (the demo account left alone, so that its throttle stays clear)', async () => {
    const notDemo = jsonRequests(operation('login')).filter((request) => !/"username":"test"/i.test(request.text ?? ''));
    await fuzz('login', notDemo, 40);
  }, 60_000);

  it.each([
    ['validateToken', 25],
    ['refresh', 25],
    ['logout', 25],
  ] as const)(
    'POST %s',
    async (operationId, runs) => {
      await fuzz(operationId, jsonRequests(operation(operationId)), runs);
    },
    60_000,
  );

  it('POST /api/orders, with and without an Idempotency-Key', async () => {
    const ref = operation('placeOrder');
    const keySchema = parameterSchema(ref, 'Idempotency-Key');
    const hostileKeys = ['', ' ', 'x'.repeat(256), 'k'.repeat(255), 'clé', 'a\tb', ' padded ', '{"$gt":""}', '__proto__', "' OR 1=1 --"];
    // What a client can put in a header (tab, printable ASCII and Latin-1): header injection is tested on a raw socket.
    const key = fc
      .option(fc.oneof(validValue(keySchema) as fc.Arbitrary<string>, fc.constantFrom(...hostileKeys), fc.string({ unit: 'binary-ascii', maxLength: 20 })), {
        nil: undefined,
      })
      .filter((value) => value === undefined || /^[\t\x20-\x7e\x80-\xff]*$/.test(value));
    const requests = fc.record({ text: bodyText(requestSchema(ref)), contentType, key }).map(
      ({ text, contentType: type, key: value }): Generated => ({
        path: '/api/orders',
        text,
        contentType: type,
        headers: value === undefined ? {} : { 'idempotency-key': value },
      }),
    );
    const answers = await fuzz('placeOrder', requests, 70, { auth: true });
    // The generator reaches the interesting answers, not only refusals.
    expect(answers.some((answer) => answer.status === 201 || answer.status === 402)).toBe(true);
    expect(answers.some((answer) => answer.status === 422)).toBe(true);
  }, 90_000);

  it('GET /api/orders with generated limit and cursor', async () => {
    const ref = operation('listOrders');
    const value = (schema: JsonSchema) =>
      fc.oneof(validValue(schema).map(String), fc.constantFrom(...NASTY_STRINGS.map((s) => s.slice(0, 600))), fc.string({ maxLength: 20 }));
    const requests = fc
      .record({ limit: fc.option(value(parameterSchema(ref, 'limit'))), cursor: fc.option(value(parameterSchema(ref, 'cursor'))) })
      .map(({ limit, cursor }): Generated => {
        const query = new URLSearchParams();
        if (limit !== null) query.set('limit', limit);
        if (cursor !== null) query.set('cursor', cursor);
        return { path: `/api/orders?${query}` };
      });
    await fuzz('listOrders', requests, 25, { auth: true });
  }, 60_000);

  it('the bank: POST /bank/pay with the merchant key', async () => {
    await fuzz('pay', jsonRequests(operation('pay', bankContract), bankContract), 30, { target: BANK, auth: MERCHANT });
  }, 60_000);

  it('the bank: GET /bank/payments/{order_id} with the merchant key and generated ids', async () => {
    await fuzz('payment', paymentRequests(), 25, { target: BANK, auth: MERCHANT });
  }, 60_000);

  it.each([
    ['no credential', {}],
    ['a wrong key', { authorization: 'Bearer not-the-merchant-key-but-long-enough-0123456789' }],
    ['the key under another scheme', { authorization: `Basic ${env.MERCHANT_KEY}` }],
  ])(
    'the bank without the merchant key (%s): 401 to every generated request, valid or not, and nothing written',
    async (_, auth) => {
      const unauthorized: Target = { ...BANK, refusedWith: 401 };
      await fuzz('pay', jsonRequests(operation('pay', bankContract), bankContract), 20, { target: unauthorized, auth });
      await fuzz('payment', paymentRequests(), 10, { target: unauthorized, auth });
    },
    60_000,
  );

  it('the bank: PUT /bank/faults (the settings put back after every accepted change)', async () => {
    await fuzz('setFaults', jsonRequests(operation('setFaults', bankContract), bankContract), 25, {
      target: BANK,
      after: async (answer) => {
        if (answer.status === 200) await setFaults(NORMAL_FAULTS);
      },
    });
  }, 60_000);

  it('header injection in Idempotency-Key, on a raw connection: refused or split harmlessly, nothing smuggled', async () => {
    // Prepare
    const before = await tableCounts(db, tableOf);
    const cart = JSON.stringify({ items: [{ article: 'Fraises', quantity: 1 }] });
    const tag = Date.now().toString(36);
    const injections = [
      `split-${tag}\r\nX-Injected: yes`,
      `lf-${tag}\nX-Injected: yes`,
      `cr-${tag}\rX-Injected: yes`,
      `nul-${tag}\u0000`,
      `folded-${tag}\r\n continued`,
      `te-${tag}\r\nTransfer-Encoding: chunked`,
      `cl-${tag}\r\nContent-Length: 0\r\n\r\nPOST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: ${cart.length}\r\n\r\n${cart}`,
      `latin1-caf\u00e9-${tag}`,
      `long-${'k'.repeat(8000)}`,
    ];

    // Act
    const answers: Answer[] = [];
    for (const key of injections) {
      const head = `POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(shopper.auth)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(cart)}\r\nConnection: close\r\nIdempotency-Key: `;
      const response = await rawHttp(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(key, 'latin1'), Buffer.from(`\r\n\r\n${cart}`, 'latin1')]));

      // Assess each: a 2xx/4xx, never a 5xx; nothing echoed into the answer's headers; one answer only.
      const context = JSON.stringify(key.slice(0, 60));
      expect({ context, status: response.status, ok: response.status !== undefined && response.status < 500 }).toEqual({ context, status: response.status, ok: true });
      expect(Object.keys(response.headers).filter((name) => name.startsWith('x-injected') || name === 'transfer-encoding')).toEqual([]);
      expect(response.smuggled).toBe(false);
      const body = response.body ? JSON.parse(response.body) : undefined;
      if (response.body) expectConforms('POST', '/api/orders', { status: response.status!, body, headers: new Headers(response.headers) });
      answers.push({ status: response.status!, body, replayed: response.headers['idempotent-replayed'] === 'true', keyed: true });
    }

    process.stdout.write(`header injection answers: ${answers.map((answer) => answer.status).join(', ')}\n`);
    // Assess: only the split header (two valid headers) may have placed an order.
    expect(answers.filter((answer) => answer.status === 201 || answer.status === 402).length).toBeLessThanOrEqual(1);
    expectWrites('placeOrder', before, await tableCounts(db, tableOf), answers);
  });

  it('routes without input ignore a hostile query string', async () => {
    const hostile = `?__proto__[admin]=1&constructor=x&$where=1&q=${'x'.repeat(2000)}`;
    for (const route of ['/api/products', '/api/health', '/api/openapi.json']) {
      const response = await api('GET', `${route}${hostile}`);
      expect(response.status).toBe(200);
      expectConforms('GET', route, response);
    }
    const faults = await bank('GET', `/faults${hostile}`);
    expect(faults.status).toBe(200);
    bankContract.expectConforms('GET', '/bank/faults', faults);
  });
});

/** Generated order ids, well-formed or hostile, in the bank's payment path. */
function paymentRequests(): fc.Arbitrary<Generated> {
  const ref = operation('payment', bankContract);
  const id = fc.oneof(
    validValue(parameterSchema(ref, 'order_id', bankContract)) as fc.Arbitrary<string>,
    fc.constantFrom(...NASTY_STRINGS),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
  return id.map(
    (value): Generated => ({ path: `/bank/payments/${encodeURIComponent(value.toWellFormed()) || '%20'}`, pathParameters: { order_id: value.toWellFormed() } }),
  );
}
