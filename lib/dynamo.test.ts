import { Readable } from 'node:stream';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createDynamoClient } from './dynamo';

/**
 * The client factory signs with the SDK's own SigV4 unless an endpoint is set (DynamoDB Local): the
 * cheaper local signer must never reach a deployed function. Each case sends one GetItem to a stub
 * HTTP handler and looks at the headers the SDK would have put on the wire.
 */
async function headersSent(client: ReturnType<typeof createDynamoClient>): Promise<Record<string, string>> {
  let headers: Record<string, string> = {};
  client.config.requestHandler = {
    handle: async (request: { headers: Record<string, string> }) => {
      headers = { ...request.headers };
      return {
        response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from('{}')]) },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  } as unknown as typeof client.config.requestHandler;
  await client.send(new GetItemCommand({ TableName: 'orders', Key: { username: { S: 'alice' } } }));
  client.destroy();
  return headers;
}

describe('createDynamoClient', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // The deployed path's credentials come from the Lambda environment; these stand in for them.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('without an endpoint (AWS): the SDK SigV4 signer, a real signature over the request', async () => {
    const client = createDynamoClient({ region: 'eu-west-3' });
    const headers = await headersSent(client);
    expect(headers.host).toBe('dynamodb.eu-west-3.amazonaws.com');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    // No local signer configured: the client resolves the SDK's default one.
    expect(typeof client.config.signer).toBe('function');
  });

  it('without an endpoint: two requests sign differently (the signature covers the body)', async () => {
    const first = await headersSent(createDynamoClient({ region: 'eu-west-3' }));
    const client = createDynamoClient({ region: 'eu-west-3' });
    let headers: Record<string, string> = {};
    client.config.requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        headers = { ...request.headers };
        return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    } as unknown as typeof client.config.requestHandler;
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { username: { S: 'bob' } } }));
    client.destroy();
    expect(headers.authorization).not.toBe(first.authorization);
  });

  it('with an endpoint (DynamoDB Local): a fixed Authorization header naming the local key and region, no hashing', async () => {
    const headers = await headersSent(createDynamoClient({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:8000' }));
    expect(headers.host).toBe('127.0.0.1:8000');
    expect(headers.authorization).toBe('AWS4-HMAC-SHA256 Credential=local/20000101/eu-west-3/dynamodb/aws4_request, SignedHeaders=host, Signature=local');
    expect(headers['x-amz-date']).toBeUndefined();
    expect(headers['x-amz-content-sha256']).toBeUndefined();
  });
});

describe('the client’s Server-Timing', () => {
  it('adds every call’s time to the invocation as `db`, and records nothing outside an invocation', async () => {
    // Prepare
    const { runInvocation, startInvocation } = await import('./trace');
    const client = createDynamoClient({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1' });
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    // Act
    await runInvocation(invocation, () => headersSent(client));
    await headersSent(createDynamoClient({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1' }));
    // Assess
    expect(invocation.timings.get('db')?.durationMs).toBeGreaterThan(0);
    expect([...invocation.timings.keys()]).toEqual(['db']);
  });
});
