import { Readable } from 'node:stream';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createDocumentClient, createDynamoClient } from './dynamo';
import { runInvocation, startInvocation } from './trace';

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

describe('the client’s dynamodb spans', () => {
  type Reply = { status: number; type?: string };
  /** A local client whose wire answers each request from `replies` in turn (then 200 `{}`), through the document client as the repositories use it. */
  function scripted(replies: Reply[]) {
    const client = createDynamoClient({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1' });
    client.config.requestHandler = {
      handle: async () => {
        const reply = replies.shift() ?? { status: 200 };
        const body = reply.type ? { __type: `com.amazonaws.dynamodb.v20120810#${reply.type}`, message: reply.type } : {};
        return {
          response: { statusCode: reply.status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    } as unknown as typeof client.config.requestHandler;
    return { client, document: createDocumentClient(client) };
  }

  it('names the operation, the table and the attempts of each call, retries included', async () => {
    // Prepare: the first answer is a retryable server error.
    const { client, document } = scripted([{ status: 500, type: 'InternalServerError' }]);
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    // Act
    await runInvocation(invocation, () => document.send(new PutCommand({ TableName: 'shop-orders', Item: { username: 'alice', orderId: 'o1' } })));
    client.destroy();
    // Assess
    expect(invocation.spans).toEqual([
      { name: 'dynamodb', start: expect.any(Number), dur: expect.any(Number), attrs: { operation: 'PutItem', table: 'shop-orders', attempts: 2 } },
    ]);
    expect(invocation.timings.get('db')?.durationMs).toBeGreaterThan(0);
  });

  it('names every table of a transaction or a batch once, and a failed call’s exception', async () => {
    const { client, document } = scripted([
      { status: 400, type: 'TransactionCanceledException' },
      { status: 400, type: 'ConditionalCheckFailedException' },
    ]);
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    await runInvocation(invocation, async () => {
      const transaction = new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { id: 'o1' } } },
          { Update: { TableName: 'claims', Key: { id: 'k1' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } } },
          { ConditionCheck: { TableName: 'orders', Key: { id: 'o0' }, ConditionExpression: 'attribute_exists(id)' } },
        ],
      });
      await expect(document.send(transaction)).rejects.toThrow();
      await expect(document.send(new PutCommand({ TableName: 'payments', Item: { id: 'p1' }, ConditionExpression: 'attribute_not_exists(id)' }))).rejects.toThrow();
      await document.send(
        new BatchWriteCommand({ RequestItems: { users: [{ PutRequest: { Item: { id: 'u' } } }], sessions: [{ DeleteRequest: { Key: { id: 's' } } }] } }),
      );
    });
    client.destroy();
    expect(invocation.spans.map(({ attrs, error }) => ({ ...attrs, error }))).toEqual([
      { operation: 'TransactWriteItems', table: 'orders,claims', attempts: 1, error: 'TransactionCanceledException' },
      { operation: 'PutItem', table: 'payments', attempts: 1, error: 'ConditionalCheckFailedException' },
      { operation: 'BatchWriteItem', table: 'users,sessions', attempts: 1, error: undefined },
    ]);
  });

  it('records no span outside an invocation or with tracing off', async () => {
    const { client, document } = scripted([]);
    const off = startInvocation({ traceparent: undefined, xrayHeader: undefined, tracing: false });
    await document.send(new PutCommand({ TableName: 'orders', Item: { id: 'o1' } }));
    await runInvocation(off, () => document.send(new PutCommand({ TableName: 'orders', Item: { id: 'o2' } })));
    client.destroy();
    expect(off.spans).toEqual([]);
  });
});
