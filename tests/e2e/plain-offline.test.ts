import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { testStack } from '../support/env';
import { commandOf, descendants, freePort, portIsFree, survivors } from '../support/processes';

/**
 * `serverless offline start`, typed alone in the repository (scripts/local/serverless-local-stack.cjs):
 * on a local stage it brings up DynamoDB Local, the secrets and the bank itself, unless they are given.
 * Spawned as node + the serverless bin, so the PID held here is the server's.
 */
const root = path.resolve(__dirname, '../..');
const serverlessBin = path.join(root, 'node_modules/serverless/bin/serverless.js');
const STACK_VARIABLES = ['DYNAMODB_ENDPOINT', 'JWT_SECRET', 'BANK_URL', 'BANK_MERCHANT_KEY', 'MERCHANT_KEY'];

interface Offline {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the plain command on free ports, with none of the stack's variables unless `env` gives them. */
async function startPlainOffline(env: Record<string, string>): Promise<Offline> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !STACK_VARIABLES.includes(name)));
  const workFolder = `.esbuild/plain-offline-${process.pid}-${httpPort}`;
  const child = spawn(process.execPath, [serverlessBin, 'offline', 'start', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)], {
    cwd: root,
    env: { ...inherited, ESBUILD_WORK_FOLDER: workFolder, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rmSync(path.join(root, workFolder), { recursive: true, force: true });
      resolve(code);
    }),
  );
  const deadline = Date.now() + 150_000;
  while (!/Server ready:/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGINT');
      throw new Error(`serverless offline start did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, url: `http://127.0.0.1:${httpPort}`, output: () => output, exited };
}

/** A failed assertion, with the end of the server's output: what a handler said before it failed. */
function withOutput(error: unknown, offline: Offline): unknown {
  if (error instanceof Error) error.message += `\n--- serverless offline output (end) ---\n${offline.output().slice(-6000)}`;
  return error;
}

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: Record<string, any> = { text };
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text, shown if an assertion fails.
  }
  return { status: response.status, body: parsed };
};

/** The original README's two calls: log in as test / 1234, then buy two punnets of strawberries. */
async function loginAndOrder(url: string) {
  const login = await post(`${url}/auth/login`, { username: 'test', password: '1234' });
  const order = await post(`${url}/api/orders`, { items: [{ article: 'Fraises', quantity: 2 }] }, { authorization: `Bearer ${login.body.access_token}` });
  return { login, order };
}

describe('serverless offline start, alone', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-plain-offline-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts DynamoDB Local and the bank, answers a login and an order, and stops everything on SIGINT', async () => {
    // Prepare
    const ports = { DYNAMODB_PORT: await freePort(), BANK_PORT: await freePort(), BANK_LAMBDA_PORT: await freePort() };
    const offline = await startPlainOffline({
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      DATA_DIR: dataDir,
      // Every payment accepted: the order's answer is 201 PAID, not a coin toss.
      BANK_SUCCESS_RATE: '1',
    });
    let started: string[] = [];
    try {
      started = descendants(offline.child.pid ?? 0).map((pid) => `${pid} ${commandOf(pid)}`);

      // Act
      const { login, order } = await loginAndOrder(offline.url);

      // Assess
      expect(login.status).toBe(200);
      expect(order).toMatchObject({ status: 201, body: { status: 'ok', order_status: 'PAID', total_cents: 500 } });
      expect(started.map((process) => process.split(' ')[1])).toEqual(expect.arrayContaining(['java', 'node']));
      expect(offline.output()).toContain(`Bank on http://127.0.0.1:${ports.BANK_PORT}/bank`);
      expect(readdirSync(dataDir)).not.toEqual([]);
    } catch (error) {
      throw withOutput(error, offline);
    } finally {
      offline.child.kill('SIGINT');
    }
    expect(await offline.exited).toBe(0);
    // A grace for helpers that leave with their parent (esbuild's service) on a busy machine.
    const left = await survivors(
      started.map((process) => Number(process.split(' ')[0])),
      10_000,
    );
    expect(started.filter((process) => left.includes(Number(process.split(' ')[0])))).toEqual([]);
    for (const port of Object.values(ports)) expect(await portIsFree(port)).toBe(true);
  }, 240_000);

  it('starts nothing of its own when the database, the secret and the bank are given (as npm start and the tests do)', async () => {
    // Prepare: the test stack's database and bank.
    const stack = testStack();
    const offline = await startPlainOffline({
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      JWT_SECRET: stack.env.JWT_SECRET ?? '',
      BANK_URL: stack.bankUrl,
      BANK_MERCHANT_KEY: stack.env.MERCHANT_KEY ?? '',
      // Would be refused if the plugin tried to start either.
      DYNAMODB_PORT: 'unused',
      BANK_PORT: 'unused',
      DATA_DIR: path.join(dataDir, 'never-created'),
    });
    try {
      // Act
      const { login, order } = await loginAndOrder(offline.url);
      const started = descendants(offline.child.pid ?? 0).map(commandOf);

      // Assess: the stack's bank answered with its own key (PAID or DECLINED by its seeded draw).
      expect(login.status).toBe(200);
      expect([201, 402]).toContain(order.status);
      expect(order.body.order_status).toMatch(/^(PAID|DECLINED)$/);
      expect(started).not.toContain('java');
      expect(started).not.toContain('node');
      expect(existsSync(path.join(dataDir, 'never-created'))).toBe(false);
    } catch (error) {
      throw withOutput(error, offline);
    } finally {
      offline.child.kill('SIGINT');
    }
    expect(await offline.exited).toBe(0);
  }, 240_000);
});
