import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamo, type Dynamo } from '../../lib/dynamo';

/** What the global setup started; end-to-end and integration tests read it from here. */
export function testStack() {
  const apiUrl = process.env.TEST_API_URL;
  const dynamoEndpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  const stage = process.env.TEST_STAGE;
  const bankUrl = process.env.TEST_BANK_URL;
  if (!apiUrl || !bankUrl || !dynamoEndpoint || !stage) throw new Error('The test stack is not running (see tests/support/global-setup.mjs)');
  const env = JSON.parse(process.env.TEST_STACK_ENV ?? '{}') as Record<string, string>;
  return {
    apiUrl,
    /** The bank's own API, e.g. `http://127.0.0.1:PORT/bank`. */
    bankUrl,
    dynamoEndpoint,
    stage,
    env,
    table: (name: string) => `serverless-shop-${stage}-${name}`,
    bankTable: (name: 'payments' | 'faults') => `shop-bank-${stage}-${name}`,
  };
}

/** The project's DynamoDB client (lib/dynamo.ts), as the functions use it: for the repositories under test. */
export function testDynamo(): Dynamo {
  return createDynamo({ endpoint: testStack().dynamoEndpoint, region: 'eu-west-3' });
}

/** An AWS SDK document client on DynamoDB Local: the tests read and count what was stored with a client of their own. */
export function testDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: 'eu-west-3',
    endpoint: testStack().dynamoEndpoint,
    // DynamoDB Local accepts any credentials; the SDK insists on some.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

let counter = 0;
/** A username no other test uses (valid: 3–32 of [A-Za-z0-9._-]). */
export const uniqueName = (prefix = 'u'): string =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 32);

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** A JSON call to the API under test. */
export async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return send(method, path, {
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * A call with exactly the headers given: a body is sent as bytes, so that fetch adds no
 * Content-Type of its own (a string body would get `text/plain`).
 */
export async function send(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | undefined; baseUrl?: string } = {},
): Promise<ApiResponse> {
  const response = await fetch((init.baseUrl ?? testStack().apiUrl) + path, {
    method,
    headers: init.headers ?? {},
    body: init.body === undefined ? undefined : Buffer.from(init.body, 'utf8'),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Left as text: some tests assert on non-JSON answers.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * A JSON call to the bank's own API (`path` after `/bank`), as the shop makes it: with the merchant
 * key, unless `merchantKey` says otherwise (`null`: no Authorization header at all).
 */
export async function bank(
  method: string,
  path: string,
  body?: unknown,
  options: { merchantKey?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const { bankUrl, env } = testStack();
  const key = options.merchantKey === undefined ? env.MERCHANT_KEY : options.merchantKey;
  return send(method, path, {
    baseUrl: bankUrl,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === null || key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...options.headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}
