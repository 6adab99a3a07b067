import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { testStack } from '../support/env';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const folders: string[] = [];

/** `serverless invoke local -f <fn> -p events/<file>` against the test stack's DynamoDB Local and bank. */
async function invokeLocal(fn: string, eventFile: string): Promise<{ statusCode: number; body: string }> {
  const { stage, dynamoEndpoint, apiUrl, env } = testStack();
  const workFolder = `.esbuild/invoke-${process.pid}-${fn}`;
  folders.push(workFolder);
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'invoke', 'local', '-f', fn, '-p', `events/${eventFile}`, '--stage', stage],
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

describe('serverless invoke local with the orders and bank sample events', () => {
  afterAll(() => folders.forEach((folder) => rmSync(path.join(root, folder), { recursive: true, force: true })));

  it('orders: events/orders-products.json lists the catalogue', async () => {
    const result = await invokeLocal('orders', 'orders-products.json');
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toHaveLength(7);
  }, 60_000);

  it('bank: events/bank-pay.json pays sample-order-1 once (a repeat gets the same answer)', async () => {
    const first = await invokeLocal('bank', 'bank-pay.json');
    const again = await invokeLocal('bank', 'bank-pay.json');
    expect([200, 402]).toContain(first.statusCode);
    expect(again.statusCode).toBe(first.statusCode);
    expect(JSON.parse(again.body).calls).toBe(JSON.parse(first.body).calls + 1);
  }, 90_000);
});
