import { describe, expect, it } from '@jest/globals';
import {
  parseFaults,
  parseFaultsAnswer,
  parseHealth,
  parseOrder,
  parseOrderDeclined,
  parseOrderPaid,
  parseOrdersPage,
  parseOrderUnavailable,
  parseProducts,
  parseTokenPair,
} from '../../static-site/src/api-bodies';
import { bankContract, shopContract } from '../support/openapi';

/**
 * The web site's parsers (static-site/src/api-bodies.ts) against the documents: every body the document
 * accepts parses to itself, and the shapes the site used to guess at (which the document refuses) parse to
 * null, an unknown answer. Each sample is first checked against its schema, so the table cannot drift from
 * openapi.yaml or bank/openapi.yaml.
 */
const line = { article: 'Fraises', quantity: 2, unit_price: 2.5, total_price: 5 };
const orderFields = {
  order_id: '01J9Z8Y7X6W5V4T3S2R1Q0P9N8',
  total: 5,
  total_cents: 500,
  currency: 'EUR',
  items: [line],
  created_at: '2026-06-01T10:00:00.000Z',
  updated_at: '2026-06-01T10:00:01.000Z',
};
const order = { ...orderFields, status: 'PAID' };
const faults = { success_rate: 0.8, latency_ms: 100, down: false, error_rate: 0 };

interface Sample {
  description: string;
  document: typeof shopContract;
  schema: string;
  parse: (body: unknown) => unknown;
  body: unknown;
}

const documented: Sample[] = [
  {
    description: 'a token pair',
    document: shopContract,
    schema: 'TokenPair',
    parse: parseTokenPair,
    body: { message: 'Connexion réussie.', access_token: 'a.b.c', refresh_token: 'r'.repeat(43), token_type: 'Bearer', expires_in: 3600, refresh_expires_in: 604800 },
  },
  { description: 'an order', document: shopContract, schema: 'Order', parse: parseOrder, body: order },
  {
    description: 'a FAILED order with its reason',
    document: shopContract,
    schema: 'Order',
    parse: parseOrder,
    body: { ...order, status: 'FAILED', failure_reason: 'NOT_RECEIVED_BY_BANK' },
  },
  { description: 'a page with a cursor', document: shopContract, schema: 'OrdersPage', parse: parseOrdersPage, body: { orders: [order], next_cursor: 'abc' } },
  { description: 'the last page', document: shopContract, schema: 'OrdersPage', parse: parseOrdersPage, body: { orders: [] } },
  {
    description: 'a paid order (201)',
    document: shopContract,
    schema: 'OrderPaid',
    parse: parseOrderPaid,
    body: { ...orderFields, status: 'ok', message: 'Commande réussie !', order_status: 'PAID' },
  },
  {
    description: 'a declined order (402)',
    document: shopContract,
    schema: 'OrderDeclined',
    parse: parseOrderDeclined,
    body: { ...orderFields, status: 'error', code: 'PAYMENT_DECLINED', message: 'Paiement refusé.', order_status: 'DECLINED' },
  },
  {
    description: 'a payment being verified (503 PAYMENT_PENDING)',
    document: shopContract,
    schema: 'ServiceUnavailable',
    parse: parseOrderUnavailable,
    body: {
      status: 'error_service',
      message: 'Paiement en cours de vérification : ne repassez pas commande.',
      code: 'PAYMENT_PENDING',
      order_id: orderFields.order_id,
      order_status: 'PENDING',
      retry_after: 1,
    },
  },
  {
    description: 'an open breaker (503 BREAKER_OPEN, no order)',
    document: shopContract,
    schema: 'ServiceUnavailable',
    parse: parseOrderUnavailable,
    body: { status: 'error_service', message: 'Service indisponible, veuillez réessayer plus tard.', code: 'BREAKER_OPEN', retry_after: 2 },
  },
  {
    description: 'the health with the bank settings',
    document: shopContract,
    schema: 'Health',
    parse: parseHealth,
    body: { breaker: 'open', breaker_retry_in_ms: 1200, merchant_credential: 'accepted', bank: faults },
  },
  {
    description: 'the health without them',
    document: shopContract,
    schema: 'Health',
    parse: parseHealth,
    body: { breaker: 'closed', breaker_retry_in_ms: 0, merchant_credential: 'unknown', bank: null },
  },
  { description: "the bank's fault settings", document: bankContract, schema: 'FaultSettings', parse: parseFaults, body: faults },
  {
    description: "the bank's faults answer, away from its defaults",
    document: bankContract,
    schema: 'Faults',
    parse: parseFaultsAnswer,
    body: { ...faults, at_defaults: false, defaults: { success_rate: 0.5, latency_ms: 0, down: false, error_rate: 0 } },
  },
];

const guessed: Sample[] = [
  { description: 'an order list as a bare array', document: shopContract, schema: 'OrdersPage', parse: parseOrdersPage, body: [order] },
  {
    description: 'an order with orderId for order_id',
    document: shopContract,
    schema: 'Order',
    parse: parseOrder,
    body: { ...order, order_id: undefined, orderId: orderFields.order_id },
  },
  { description: 'an order with amount for total', document: shopContract, schema: 'Order', parse: parseOrder, body: { ...order, total: undefined, amount: 5 } },
  {
    description: 'an order with date for created_at',
    document: shopContract,
    schema: 'Order',
    parse: parseOrder,
    body: { ...order, created_at: undefined, date: orderFields.created_at },
  },
  {
    description: 'an order line with line_total for total_price',
    document: shopContract,
    schema: 'Order',
    parse: parseOrder,
    body: { ...order, items: [{ article: 'Fraises', quantity: 2, unit_price: 2.5, line_total: 5 }] },
  },
  { description: 'an order of an unknown status', document: shopContract, schema: 'Order', parse: parseOrder, body: { ...order, status: 'UNKNOWN' } },
  {
    description: 'a token pair without its refresh token',
    document: shopContract,
    schema: 'TokenPair',
    parse: parseTokenPair,
    body: { message: 'ok', access_token: 'a.b.c', token_type: 'Bearer', expires_in: 1, refresh_expires_in: 1 },
  },
  {
    description: 'health without merchant_credential',
    document: shopContract,
    schema: 'Health',
    parse: parseHealth,
    body: { breaker: 'closed', breaker_retry_in_ms: 0, bank: null },
  },
  {
    description: 'fault settings without error_rate',
    document: bankContract,
    schema: 'FaultSettings',
    parse: parseFaults,
    body: { success_rate: 1, latency_ms: 0, down: false },
  },
  { description: 'a faults answer without at_defaults', document: bankContract, schema: 'Faults', parse: parseFaultsAnswer, body: { ...faults, defaults: faults } },
];

/** JSON as the site receives it (an `undefined` field is absent). */
const asReceived = (body: unknown): unknown => JSON.parse(JSON.stringify(body));

describe('the site parses the bodies the documents describe', () => {
  it.each(documented)('$description ($schema) parses to itself', ({ document, schema, parse, body }) => {
    // Prepare
    const received = asReceived(body);
    expect(document.componentValidator(schema)(received)).toBe(true);

    // Act
    const parsed = parse(received);

    // Assess
    expect(parsed).toEqual(received);
  });

  it.each(guessed)('$description is not the document ($schema) and parses to null', ({ document, schema, parse, body }) => {
    // Prepare
    const received = asReceived(body);
    expect(document.componentValidator(schema)(received)).toBe(false);

    // Act
    const parsed = parse(received);

    // Assess
    expect(parsed).toBeNull();
  });

  it('reads a catalogue as documented, and no catalogue from an empty list or an article without its currency', () => {
    // Prepare
    const product = { id: 'fraises', article: 'Fraises', unit_price: 2.5, currency: 'EUR' };

    // Act + Assess
    expect(parseProducts([product])).toEqual([product]);
    expect(parseProducts([])).toBeNull();
    expect(parseProducts([{ ...product, currency: undefined }].map(asReceived))).toBeNull();
    expect(parseProducts({ products: [product] })).toBeNull();
  });

  it('never throws on a body of any other kind', () => {
    // Prepare
    const bodies: unknown[] = [null, undefined, 0, 'text', [], {}, [null], { orders: null }, { items: 'x' }];
    const parsers = [
      parseTokenPair,
      parseProducts,
      parseOrder,
      parseOrdersPage,
      parseOrderPaid,
      parseOrderDeclined,
      parseOrderUnavailable,
      parseHealth,
      parseFaults,
      parseFaultsAnswer,
    ];

    // Act + Assess
    for (const parse of parsers) for (const body of bodies) expect(parse(body)).toBeNull();
  });
});
