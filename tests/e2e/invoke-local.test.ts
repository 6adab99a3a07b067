import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { testStack } from '../support/env';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const invokedFolders: string[] = [];
/** Each invocation bundles into a folder of its own, so it never rewrites the running server's files. */
const workFolder = (fn: string) => `.esbuild/invoke-${process.pid}-${fn}`;

/** `serverless invoke local -f <fn> -p events/<file>` against the test stack's DynamoDB Local. */
async function invokeLocal(fn: string, eventFile: string): Promise<unknown> {
  const { stage, dynamoEndpoint, env } = testStack();
  invokedFolders.push(workFolder(fn));
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'invoke', 'local', '-f', fn, '-p', `events/${eventFile}`, '--stage', stage],
    {
      cwd: root,
      env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder(fn), DYNAMODB_ENDPOINT: dynamoEndpoint, JWT_SECRET: env.JWT_SECRET, LOG_LEVEL: 'SILENT', SLS_TELEMETRY_DISABLED: '1' },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  // The handler's result is the last JSON object printed.
  const start = stdout.lastIndexOf('\n{');
  return JSON.parse(stdout.slice(start + 1));
}

describe('serverless invoke local with the sample events', () => {
  afterAll(() => invokedFolders.forEach((folder) => rmSync(path.join(root, folder), { recursive: true, force: true })));

  it('auth: events/auth-login.json logs the demo account in', async () => {
    const result = (await invokeLocal('auth', 'auth-login.json')) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ message: 'Connexion réussie.', token_type: 'Bearer' });
  }, 60_000);
});
