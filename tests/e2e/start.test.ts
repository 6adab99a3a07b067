import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '../support/env';
import { freePort } from '../support/processes';

const root = path.resolve(__dirname, '../..');

/** Every port a start listens on, free now, as its environment takes them (nothing shared with another run). */
async function freePorts(): Promise<Record<'API_PORT' | 'SITE_PORT' | 'DYNAMODB_PORT' | 'LAMBDA_PORT' | 'BANK_PORT' | 'BANK_LAMBDA_PORT', string>> {
  return {
    API_PORT: String(await freePort()),
    SITE_PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    LAMBDA_PORT: String(await freePort()),
    BANK_PORT: String(await freePort()),
    BANK_LAMBDA_PORT: String(await freePort()),
  };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runStart(env: Record<string, string>, args: string[] = []): Started {
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), ...args], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, pattern: RegExp, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(started.output())) {
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`start did not print ${pattern}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The PIDs of a process's children, from procps (which exits 1 when there are none). */
const childPids = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter(Boolean);
  } catch {
    return [];
  }
};

const commandOf = (pid: number): string => {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // already gone
  }
};

/** The value once it is empty, or the last one seen after 5 s. */
async function eventually<T>(read: () => T[]): Promise<T[]> {
  let value = read();
  for (let i = 0; i < 50 && value.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = read();
  }
  return value;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The PIDs still running after a short grace (helpers such as esbuild's service exit with their parent). */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 30 && pids.some(isAlive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive);
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shop-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps users across a restart, prints one banner, and leaves no process behind on SIGTERM', async () => {
    const ports = await freePorts();
    const env = { ...ports, DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex') };
    const api = `http://127.0.0.1:${ports.API_PORT}`;
    const user = { username: uniqueName('keep'), password: 'survives a restart' };

    const first = runStart(env);
    await waitFor(first, /Press Ctrl-C to stop/);
    expect(first.output().match(/Serverless shop is running/g)).toHaveLength(1);
    expect(first.output()).toContain(`http://localhost:${ports.API_PORT}`);
    expect((await post(`${api}/auth/register`, user)).status).toBe(201);
    // A fault left behind by this run must not reach the next one.
    const bankFaults = `http://127.0.0.1:${ports.BANK_PORT}/bank/faults`;
    const setFaults = (body: unknown) => fetch(bankFaults, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await setFaults({ down: true })).status).toBe(200);
    const children = childPids(first.child.pid ?? 0);
    expect(children.length).toBeGreaterThanOrEqual(2); // java + serverless-offline
    // In-process, nothing reloads: the handlers were bundled beforehand, and the server has no esbuild service.
    const offline = children.find((pid) => commandOf(pid) === 'node');
    const offlineChildren = offline ? await eventually(() => childPids(offline)) : ['no serverless-offline process'];
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(offlineChildren).toEqual([]);
    expect(await survivors(children)).toEqual([]);

    const second = runStart(env);
    try {
      await waitFor(second, /Press Ctrl-C to stop/);
      const login = await post(`${api}/auth/login`, user);
      expect(login.status).toBe(200);
      expect(second.output()).toMatch(/Bank faults +back to the defaults/);
      expect(await (await fetch(bankFaults)).json()).toMatchObject({ down: false, at_defaults: true });
      expect((await setFaults({ error_rate: 0.25 })).status).toBe(200);
    } finally {
      const pids = childPids(second.child.pid ?? 0);
      second.child.kill('SIGINT');
      await second.exited;
      expect(await survivors(pids)).toEqual([]);
    }

    // `--keep-faults` keeps what the last run left, and says so; `--short-tokens` says what it sets.
    const third = runStart(env, ['--keep-faults', '--short-tokens']);
    try {
      await waitFor(third, /Press Ctrl-C to stop/);
      expect(third.output()).toMatch(/Bank faults +kept from the last run, not the defaults: .*"error_rate":0\.25/);
      expect(third.output()).toMatch(/Access tokens +expire after 20 s \(--short-tokens\)/);
      expect(await (await fetch(bankFaults)).json()).toMatchObject({ error_rate: 0.25, at_defaults: false });
    } finally {
      const pids = childPids(third.child.pid ?? 0);
      third.child.kill('SIGINT');
      await third.exited;
      expect(await survivors(pids)).toEqual([]);
    }
  }, 240_000);

  it("serves the trace collector on the site: /_local/status, and a purchase's orders and bank invocations within a second of the answer", async () => {
    const ports = await freePorts();
    const started = runStart({ ...ports, DYNAMODB_IN_MEMORY: 'true' });
    const site = `http://127.0.0.1:${ports.SITE_PORT}`;
    const api = `http://127.0.0.1:${ports.API_PORT}`;
    try {
      await waitFor(started, /Press Ctrl-C to stop/);
      expect(started.output()).toMatch(new RegExp(`Traces +http://localhost:${ports.SITE_PORT}/_local/traces/`));
      const status = await fetch(`${site}/_local/status`);
      expect(status.status).toBe(200);
      expect(status.headers.get('cache-control')).toBe('no-store');
      expect(await status.json()).toMatchObject({ collecting: true, traces: expect.any(Number) });

      const user = { username: uniqueName('traced'), password: 'a traced purchase' };
      expect((await post(`${api}/auth/register`, user)).status).toBe(201);
      const { access_token: token } = (await (await post(`${api}/auth/login`, user)).json()) as { access_token: string };
      const traceId = randomBytes(16).toString('hex');
      const order = await fetch(`${api}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
        body: JSON.stringify({ items: [{ article: 'Fraises', quantity: 1 }] }),
      });
      const answeredAt = Date.now();
      // Paid or declined (the bank's default success rate): either way the bank was called.
      expect([201, 402]).toContain(order.status);

      type Invocation = { service: string; function: string; route: string; startedAt: number };
      let invocations: Invocation[] = [];
      while (Date.now() - answeredAt <= 1000) {
        invocations = ((await (await fetch(`${site}/_local/traces/${traceId}`)).json()) as { invocations: Invocation[] }).invocations;
        if (invocations.some((invocation) => invocation.service === 'bank') && invocations.some((invocation) => invocation.function === 'orders')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(invocations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ service: 'shop', function: 'orders', route: 'POST /api/orders' }),
          expect.objectContaining({ service: 'bank', function: 'bank', route: 'POST /bank/pay' }),
        ]),
      );
      const startTimes = invocations.map((invocation) => invocation.startedAt);
      expect(startTimes).toEqual([...startTimes].sort((a, b) => a - b));
    } finally {
      const pids = childPids(started.child.pid ?? 0);
      started.child.kill('SIGTERM');
      await started.exited;
      expect(await survivors(pids)).toEqual([]);
    }
  }, 120_000);

  it('refuses a port in use with one clear line and a non-zero exit', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const started = runStart({ API_PORT: String(port), SITE_PORT: String(await freePort()), DATA_DIR: dataDir });
      expect(await started.exited).toBe(1);
      expect(started.output()).toMatch(new RegExp(`✖ Port ${port} is already in use \\(needed for the API \\(API_PORT\\)\\)`));
    } finally {
      blocker.close();
    }
  });

  it.each([
    ['DYNAMODB_LOCAL_MAX_HEAP', 'lots', /✖ DYNAMODB_LOCAL_MAX_HEAP must be a Java heap size such as 256m or 1g \(got "lots"\)/],
    ['OFFLINE_MAX_OLD_SPACE_MB', '12', /✖ OFFLINE_MAX_OLD_SPACE_MB must be a whole number of MB, at least 64 \(got "12"\)/],
  ])(
    'refuses a malformed %s with one clear line, and leaves nothing running',
    async (name, value, message) => {
      const started = runStart({
        [name]: value,
        ...(await freePorts()),
        DATA_DIR: dataDir,
      });
      const children: number[] = [];
      started.child.stdout?.on('data', () => children.push(...childPids(started.child.pid ?? 0)));
      expect(await started.exited).toBe(1);
      expect(started.output()).toMatch(message);
      expect(await survivors([...new Set(children)])).toEqual([]);
    },
    60_000,
  );

  it('says how to install Java, or to use DYNAMODB_ENDPOINT, when Java is missing', async () => {
    const started = runStart({
      PATH: path.dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : path.dirname(process.execPath),
      ...(await freePorts()),
      DATA_DIR: dataDir,
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/✖ Java 17\+ is needed .*apt-get install .*DYNAMODB_ENDPOINT/);
  });

  it('npm run dev picks up an edited handler without a restart', async () => {
    const source = path.join(root, 'functions/auth/errors.ts');
    const original = readFileSync(source, 'utf8');
    const ports = await freePorts();
    const env = { ...ports, DYNAMODB_IN_MEMORY: 'true' };
    // While the watcher rebuilds, a request may meet the reload (an empty or non-JSON answer): it is
    // reported as such, and the polling below goes on until the expected message.
    const logout = async () => {
      const response = await post(`http://127.0.0.1:${ports.API_PORT}/auth/logout`, { refresh_token: 'unknown' });
      const text = await response.text();
      try {
        return (JSON.parse(text) as { message: string }).message;
      } catch {
        return `(${response.status}, not JSON) ${text}`;
      }
    };
    const dev = runStart(env, ['--dev']);
    try {
      await waitFor(dev, /Press Ctrl-C to stop/);
      expect(dev.output()).toContain('dev mode');
      expect(await logout()).toBe('Déconnexion réussie.');
      writeFileSync(source, original.replace("loggedOut: 'Déconnexion réussie.'", "loggedOut: 'Déconnexion réussie (rechargé).'"));
      // esbuild's watcher rebuilds and serverless-offline drops its workers: the next call runs the new code.
      let message = '';
      for (let i = 0; i < 100 && message !== 'Déconnexion réussie (rechargé).'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        message = await logout();
      }
      expect(message).toBe('Déconnexion réussie (rechargé).');
      writeFileSync(source, original);
      // Wait for the rebuild of the restored file, so no watcher is still writing bundles after this test.
      for (let i = 0; i < 100 && message !== 'Déconnexion réussie.'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        message = await logout();
      }
      expect(message).toBe('Déconnexion réussie.');
    } finally {
      writeFileSync(source, original);
      dev.child.kill('SIGTERM');
      await dev.exited;
    }
    expect(readFileSync(source, 'utf8')).toBe(original);
  }, 180_000);
});
