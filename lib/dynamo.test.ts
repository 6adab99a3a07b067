import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createDynamo, isDynamoError } from './dynamo';
import { isStorageUnavailable } from './errors';
import { runInvocation, startInvocation } from './trace';

interface Sent {
  protocol: 'http' | 'https';
  host: string;
  port: number | string | undefined;
  headers: Record<string, string>;
  body: Record<string, any>;
}
type Reply = { status: number; type?: string; body?: Record<string, unknown> } | { error: string };

/**
 * Replaces `request` on node:http and node:https, which the client calls for every attempt: records
 * what would go on the wire and answers each request from `replies` in turn (then 200 `{}`).
 */
function stubWire(replies: Reply[] = []): Sent[] {
  const sent: Sent[] = [];
  for (const [protocol, module] of [
    ['http', http],
    ['https', https],
  ] as const) {
    jest.spyOn(module, 'request').mockImplementation(((options: Record<string, any>, onResponse: (res: unknown) => void) => {
      const request = new EventEmitter() as EventEmitter & { end: (body: string) => void };
      request.end = (body) => {
        sent.push({ protocol, host: options.host, port: options.port, headers: options.headers, body: JSON.parse(body) });
        const reply = replies.shift() ?? { status: 200 };
        if ('error' in reply) {
          setImmediate(() => request.emit('error', Object.assign(new Error(reply.error), { code: 'ECONNRESET' })));
          return;
        }
        const payload = reply.type ? { __type: `com.amazonaws.dynamodb.v20120810#${reply.type}`, message: reply.type, ...reply.body } : (reply.body ?? {});
        const response = Object.assign(new EventEmitter(), { statusCode: reply.status, headers: { 'content-type': 'application/x-amz-json-1.0' } });
        setImmediate(() => {
          onResponse(response);
          response.emit('data', Buffer.from(JSON.stringify(payload)));
          response.emit('end');
        });
      };
      return request;
    }) as unknown as typeof http.request);
  }
  return sent;
}

const saved = { ...process.env };
beforeEach(() => {
  // The deployed path's credentials come from the Lambda environment; these stand in for them.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

const local = () => createDynamo({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:8000' });

describe('createDynamo', () => {
  it('without an endpoint (AWS): HTTPS to the regional endpoint, signed with SigV4 from the environment’s credentials', async () => {
    const sent = stubWire();
    const db = createDynamo({ region: 'eu-west-3' });
    await db.GetItem({ TableName: 'orders', Key: { username: 'alice' } });
    await db.GetItem({ TableName: 'orders', Key: { username: 'bob' } });
    expect(sent).toHaveLength(2);
    const [first, second] = sent as [Sent, Sent];
    expect(first.protocol).toBe('https');
    expect(first.host).toBe('dynamodb.eu-west-3.amazonaws.com');
    expect(first.headers.Authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(first.headers['X-Amz-Date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(first.headers['X-Amz-Target']).toBe('DynamoDB_20120810.GetItem');
    // The signature covers the body.
    expect(second.headers.Authorization).not.toBe(first.headers.Authorization);
  });

  it('with an endpoint (DynamoDB Local): plain HTTP to it, signed with the local key', async () => {
    const sent = stubWire();
    await local().GetItem({ TableName: 'orders', Key: { username: 'alice' } });
    expect(sent[0]).toMatchObject({ protocol: 'http', host: '127.0.0.1', port: 8000 });
    expect(sent[0]?.headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-3\/dynamodb\/aws4_request, /);
  });

  it('sends items, keys and values as DynamoDB JSON without undefined attributes, and answers plain values', async () => {
    const sent = stubWire([
      { status: 200 },
      { status: 200, body: { Item: { username: { S: 'alice' }, totalCents: { N: '250' }, lines: { L: [{ M: { q: { N: '2' } } }] } } } },
    ]);
    const db = local();
    await db.PutItem({
      TableName: 'orders',
      Item: { username: 'alice', totalCents: 250, failureReason: undefined },
      ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': 5 },
    });
    const { Item } = await db.GetItem({ TableName: 'orders', Key: { username: 'alice' }, ConsistentRead: true });
    expect(sent[0]?.body).toEqual({
      TableName: 'orders',
      Item: { username: { S: 'alice' }, totalCents: { N: '250' } },
      ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': { N: '5' } },
    });
    expect(sent[1]?.body).toEqual({ TableName: 'orders', Key: { username: { S: 'alice' } }, ConsistentRead: true });
    expect(Item).toEqual({ username: 'alice', totalCents: 250, lines: [{ q: 2 }] });
  });

  it('pages a query: the start key goes as DynamoDB JSON, the last evaluated key comes back plain', async () => {
    const sent = stubWire([{ status: 200, body: { Items: [{ sk: { S: 'ORDER#2' } }], LastEvaluatedKey: { username: { S: 'alice' }, sk: { S: 'ORDER#2' } } } }]);
    const page = await local().Query({
      TableName: 'orders',
      KeyConditionExpression: 'username = :u',
      ExpressionAttributeValues: { ':u': 'alice' },
      ExclusiveStartKey: { username: 'alice', sk: 'ORDER#3' },
    });
    expect(sent[0]?.body.ExclusiveStartKey).toEqual({ username: { S: 'alice' }, sk: { S: 'ORDER#3' } });
    expect(page).toEqual({ Items: [{ sk: 'ORDER#2' }], LastEvaluatedKey: { username: 'alice', sk: 'ORDER#2' } });
  });

  it('names DynamoDB’s exceptions, with a cancelled transaction’s reasons', async () => {
    stubWire([
      { status: 400, type: 'ConditionalCheckFailedException' },
      { status: 400, type: 'TransactionCanceledException', body: { CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] } },
    ]);
    const db = local();
    const failed = await db.PutItem({ TableName: 'users', Item: { username: 'alice' } }).catch((error: unknown) => error);
    const cancelled = await db
      .TransactWriteItems({ TransactItems: [{ Put: { TableName: 'orders', Item: { id: 'o1' } } }, { Put: { TableName: 'orders', Item: { id: 'k1' } } }] })
      .catch((error: unknown) => error);
    expect(isDynamoError(failed, 'ConditionalCheckFailedException')).toBe(true);
    expect(isDynamoError(failed, 'TransactionCanceledException')).toBe(false);
    expect(isDynamoError(cancelled, 'TransactionCanceledException') && cancelled.CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
  });

  it('retries a 5xx answer, at most 3 attempts in all', async () => {
    const sent = stubWire([
      { status: 500, type: 'InternalServerError' },
      { status: 500, type: 'InternalServerError' },
      { status: 500, type: 'InternalServerError' },
      { status: 200 },
    ]);
    const failure = await local()
      .PutItem({ TableName: 'orders', Item: { id: 'o1' } })
      .catch((error: unknown) => error);
    expect(sent).toHaveLength(3);
    expect(isDynamoError(failure, 'InternalServerError')).toBe(true);
  });

  it('counts a connection closed mid-answer, after its retries, and a nameless 5xx as the database being unavailable', async () => {
    stubWire([{ error: 'socket hang up' }, { error: 'socket hang up' }, { error: 'socket hang up' }, { status: 503 }, { status: 503 }, { status: 503 }]);
    const db = local();
    const closed = await db.GetItem({ TableName: 'orders', Key: { id: 'o1' } }).catch((error: unknown) => error);
    const unavailable = await db.GetItem({ TableName: 'orders', Key: { id: 'o1' } }).catch((error: unknown) => error);
    expect((closed as { code?: string }).code).toBe('ECONNRESET');
    expect(isStorageUnavailable(closed)).toBe(true);
    expect(isStorageUnavailable(unavailable)).toBe(true);
  });

  it('gives a connection failure its errno code', async () => {
    // Port 1 on the loopback: nothing listens there.
    const failure = await createDynamo({ region: 'eu-west-3', endpoint: 'http://127.0.0.1:1' })
      .GetItem({ TableName: 'orders', Key: { id: 'o1' } })
      .catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

describe('the client’s Server-Timing', () => {
  it('adds every call’s time to the invocation as `db`, and records nothing outside an invocation', async () => {
    stubWire();
    const db = local();
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    await runInvocation(invocation, () => db.GetItem({ TableName: 'orders', Key: { id: 'o1' } }));
    await db.GetItem({ TableName: 'orders', Key: { id: 'o2' } });
    expect(invocation.timings.get('db')?.durationMs).toBeGreaterThan(0);
    expect([...invocation.timings.keys()]).toEqual(['db']);
  });
});

describe('the client’s dynamodb spans', () => {
  it('one span per call, retries inside it, naming the operation, the table(s) and a failed call’s exception', async () => {
    stubWire([
      { status: 500, type: 'InternalServerError' },
      { status: 200 },
      { status: 400, type: 'TransactionCanceledException' },
      { status: 400, type: 'ConditionalCheckFailedException' },
    ]);
    const db = local();
    const invocation = startInvocation({ traceparent: undefined, xrayHeader: undefined });
    await runInvocation(invocation, async () => {
      await db.PutItem({ TableName: 'shop-orders', Item: { username: 'alice', orderId: 'o1' } });
      await expect(
        db.TransactWriteItems({
          TransactItems: [
            { Put: { TableName: 'orders', Item: { id: 'o1' } } },
            { Update: { TableName: 'claims', Key: { id: 'k1' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } } },
            { ConditionCheck: { TableName: 'orders', Key: { id: 'o0' }, ConditionExpression: 'attribute_exists(id)' } },
          ],
        }),
      ).rejects.toThrow();
      await expect(db.UpdateItem({ TableName: 'payments', Key: { id: 'p1' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } })).rejects.toThrow();
    });
    expect(invocation.spans.map(({ name, attrs, error }) => ({ name, ...attrs, error }))).toEqual([
      { name: 'dynamodb', operation: 'PutItem', table: 'shop-orders', error: undefined },
      { name: 'dynamodb', operation: 'TransactWriteItems', table: 'orders,claims', error: 'TransactionCanceledException' },
      { name: 'dynamodb', operation: 'UpdateItem', table: 'payments', error: 'ConditionalCheckFailedException' },
    ]);
  });

  it('records no span outside an invocation or with tracing off', async () => {
    stubWire();
    const db = local();
    const off = startInvocation({ traceparent: undefined, xrayHeader: undefined, tracing: false });
    await db.PutItem({ TableName: 'orders', Item: { id: 'o1' } });
    await runInvocation(off, () => db.PutItem({ TableName: 'orders', Item: { id: 'o2' } }));
    expect(off.spans).toEqual([]);
  });
});
