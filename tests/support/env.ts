import { createDocumentClient, createDynamoClient } from '../../lib/dynamo';

/** What the global setup started; end-to-end and integration tests read it from here. */
export function testStack() {
  const apiUrl = process.env.TEST_API_URL;
  const dynamoEndpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  const stage = process.env.TEST_STAGE;
  if (!apiUrl || !dynamoEndpoint || !stage) throw new Error('The test stack is not running (see tests/support/global-setup.mjs)');
  const env = JSON.parse(process.env.TEST_STACK_ENV ?? '{}') as Record<string, string>;
  return { apiUrl, dynamoEndpoint, stage, env, table: (name: string) => `serverless-shop-${stage}-${name}` };
}

export function testDocumentClient() {
  return createDocumentClient(createDynamoClient({ endpoint: testStack().dynamoEndpoint, region: 'eu-west-3' }));
}

let counter = 0;
/** A username no other test uses (valid: 3–32 of [A-Za-z0-9._-]). */
export const uniqueName = (prefix = 'u'): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 32);

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
export async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | undefined } = {}): Promise<ApiResponse> {
  const response = await fetch(testStack().apiUrl + path, {
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
