import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { api, testStack } from '../support/env';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const folders: string[] = [];

/**
 * `serverless invoke local -f <fn> -p events/<file>` (or `-d <json>`) against the test stack's
 * DynamoDB Local and bank. Each call bundles into a folder of its own, so it never rewrites the
 * running server's files. Resolves with the handler's result, the last JSON object printed.
 */
async function invokeLocal(fn: string, event: { file: string } | { data: unknown }): Promise<any> {
  const { stage, dynamoEndpoint, apiUrl, env } = testStack();
  const workFolder = `.esbuild/invoke-${process.pid}-${fn}-${folders.length}`;
  folders.push(workFolder);
  const input = 'file' in event ? ['-p', `events/${event.file}`] : ['-d', JSON.stringify(event.data)];
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'invoke', 'local', '-f', fn, ...input, '--stage', stage],
    {
      cwd: root,
      env: {
        ...process.env,
        ESBUILD_WORK_FOLDER: workFolder,
        DYNAMODB_ENDPOINT: dynamoEndpoint,
        JWT_SECRET: env.JWT_SECRET,
        BANK_URL: `${apiUrl}/bank`,
        LOG_LEVEL: 'SILENT',
        SLS_TELEMETRY_DISABLED: '1',
      },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1));
}

describe('serverless invoke local with the sample events', () => {
  afterAll(() => folders.forEach((folder) => rmSync(path.join(root, folder), { recursive: true, force: true })));

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
    expect(result.context).toEqual({ username: 'test' });
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

  it('bank: events/bank-pay.json pays sample-order-1 once (a repeat gets the same answer)', async () => {
    const first = await invokeLocal('bank', { file: 'bank-pay.json' });
    const again = await invokeLocal('bank', { file: 'bank-pay.json' });
    expect([200, 402]).toContain(first.statusCode);
    expect(again.statusCode).toBe(first.statusCode);
    expect(JSON.parse(again.body).calls).toBe(JSON.parse(first.body).calls + 1);
  }, 90_000);

  it('bankFaults: events/bank-faults-get.json reads the fault settings', async () => {
    const result = await invokeLocal('bankFaults', { file: 'bank-faults-get.json' });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual(expect.objectContaining({ success_rate: expect.any(Number), latency_ms: expect.any(Number), down: expect.any(Boolean) }));
  }, 60_000);
});
