import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { api, bank, testStack, uniqueName } from '../support/env';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const folders: string[] = [];

/**
 * `serverless invoke local -f <fn> -p events/<file>` (or `-d <json>`) against the test stack's
 * DynamoDB Local and bank, in the shop's folder or the bank's (`bank/`, a service of its own).
 * Each call bundles into a folder of its own, so it never rewrites the running servers' files.
 * Resolves with the handler's result, the last JSON object printed.
 */
async function invokeLocal(fn: string, event: { file: string } | { data: unknown }, service: 'shop' | 'bank' = 'shop'): Promise<any> {
  const { stage, dynamoEndpoint, bankUrl, env } = testStack();
  const cwd = service === 'bank' ? path.join(root, 'bank') : root;
  const workFolder = `.esbuild/invoke-${process.pid}-${fn}-${folders.length}`;
  folders.push(path.join(cwd, workFolder));
  const input = 'file' in event ? ['-p', path.join(root, 'events', event.file)] : ['-d', JSON.stringify(event.data)];
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'invoke', 'local', '-f', fn, ...input, '--stage', stage],
    {
      cwd,
      env: {
        ...process.env,
        ESBUILD_WORK_FOLDER: workFolder,
        DYNAMODB_ENDPOINT: dynamoEndpoint,
        JWT_SECRET: env.JWT_SECRET,
        // The shop reaches the running bank with the run's merchant key; the bank checks the same key.
        BANK_URL: bankUrl,
        BANK_MERCHANT_KEY: env.MERCHANT_KEY,
        MERCHANT_KEY: env.MERCHANT_KEY,
        LOG_LEVEL: 'SILENT',
        SLS_TELEMETRY_DISABLED: '1',
      },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1));
}

describe('serverless invoke local with the sample events', () => {
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('auth: events/auth-login.json logs the demo account in', async () => {
    const result = await invokeLocal('auth', { file: 'auth-login.json' });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ message: 'Connexion réussie.', token_type: 'Bearer' });
  }, 60_000);

  it('authorizer: events/authorizer-token.json with a fresh token gives an Allow for the whole API', async () => {
    const login = await api('POST', '/auth/login', { username: 'test', password: '1234' });
    const sample = (await import('../../events/authorizer-token.json')).default;
    const result = await invokeLocal('authorizer', { data: { ...sample, authorizationToken: `Bearer ${login.body.access_token}` } });
    expect(result.principalId).toBe('test');
    // The username, and the decision's duration, time and request id (functions/authorizer/decision.ts).
    expect(result.context).toEqual({
      username: 'test',
      authz_ms: expect.stringMatching(/^\d+(\.\d)?$/),
      authz_at: expect.stringMatching(/^\d{13}$/),
      authz_request_id: expect.any(String),
    });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(String(result.policyDocument.Statement[0].Resource)).toMatch(/\/\*\/\*$/);
  }, 60_000);

  it('authorizer: the sample event as shipped (a placeholder token) is refused with exactly "Unauthorized"', async () => {
    const failure = await invokeLocal('authorizer', { file: 'authorizer-token.json' }).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(failure).toMatch(/"errorMessage": "Unauthorized"/);
  }, 60_000);

  it('orders: events/orders-products.json lists the catalogue', async () => {
    const result = await invokeLocal('orders', { file: 'orders-products.json' });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toHaveLength(7);
  }, 60_000);

  it('bank payments: events/bank-pay.json as shipped (a placeholder for the merchant key) is refused with 401', async () => {
    const result = await invokeLocal('payments', { file: 'bank-pay.json' }, 'bank');
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'MERCHANT_UNAUTHORIZED' });
    expect(result.headers['WWW-Authenticate']).toMatch(/^Bearer /);
  }, 90_000);

  it('bank payments: the sample pay event with the merchant key pays once (a repeat gets the same answer)', async () => {
    // Prepare: the shipped event, for an order id of its own, with the key the shop would send.
    const sample = (await import('../../events/bank-pay.json')).default;
    const orderId = uniqueName('invoke');
    const event = {
      ...sample,
      headers: { ...sample.headers, Authorization: `Bearer ${testStack().env.MERCHANT_KEY}` },
      body: JSON.stringify({ ...JSON.parse(sample.body), order_id: orderId, currency: 'EUR' }),
    };

    // Act
    const first = await invokeLocal('payments', { data: event }, 'bank');
    const again = await invokeLocal('payments', { data: event }, 'bank');

    // Assess
    expect([200, 402]).toContain(first.statusCode);
    expect(again.statusCode).toBe(first.statusCode);
    expect(JSON.parse(first.body)).toMatchObject({ order_id: orderId, amount: 500, currency: 'EUR', calls: 1 });
    expect(JSON.parse(again.body).calls).toBe(2);
    expect((await bank('GET', `/payments/${orderId}`)).body).toMatchObject({ order_id: orderId, calls: 2 });
  }, 120_000);

  it('bank faults: events/bank-faults-get.json reads the fault settings (local stages only)', async () => {
    const result = await invokeLocal('faults', { file: 'bank-faults-get.json' }, 'bank');
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual(expect.objectContaining({ success_rate: expect.any(Number), latency_ms: expect.any(Number), down: expect.any(Boolean) }));
  }, 60_000);
});
