import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A stack of its own for one fault scenario: DynamoDB Local persisted to a temporary folder (so
 * it can be stopped and started again on the same port, data intact), the bank's and the shop's
 * serverless-offline in-process (the shop can be killed and started again on the same port), and
 * between the shop and the bank a counting proxy (so a test can tell whether the bank was called,
 * or make the bank's answer — or the request itself — go missing). The shop is given the proxy's
 * address as BANK_URL, with the merchant key. Every process is stopped by its PID.
 */

interface Child {
  pid: number;
  stop(): Promise<void>;
  process: { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; running: boolean };
}
interface DynamoLocal extends Child {
  endpoint: string;
}
interface Bundle {
  folder: string;
  remove(): void;
}
interface Bundles {
  bank: Bundle;
  shop: Bundle;
  remove(): void;
}
interface LocalStarters {
  startDynamoLocal(options: { port: number; dbPath: string }): Promise<DynamoLocal>;
  startOffline(options: {
    service: 'shop' | 'bank';
    stage: string;
    httpPort: number;
    lambdaPort: number;
    env: Record<string, string>;
    inProcess: boolean;
    handlers: Bundle;
  }): Promise<Child>;
  bundleServices(options: { stage: string }): Promise<Bundles>;
  startAllOrUndo(starts: Array<[Promise<any>, (started: any) => unknown]>): Promise<any[]>;
  freePort(): Promise<number>;
  newMerchantKey(): string;
}

/** The local-stack starters are plain ES modules (scripts/local), shared with `npm start`. */
async function localStarters(): Promise<LocalStarters> {
  const load = (file: string): Promise<any> => import(path.join(__dirname, '../../scripts/local', file));
  const [dynamo, offline, ports, services, processes] = await Promise.all([
    load('dynamodb-local.mjs'),
    load('offline.mjs'),
    load('ports.mjs'),
    load('services.mjs'),
    load('processes.mjs'),
  ]);
  return {
    startDynamoLocal: dynamo.startDynamoLocal,
    startOffline: offline.startOffline,
    bundleServices: services.bundleServices,
    startAllOrUndo: processes.startAllOrUndo,
    freePort: ports.freePort,
    newMerchantKey: services.newMerchantKey,
  };
}

/**
 * What the proxy does with the shop's `POST /bank/pay`: `forward` it; `drop` it (the connection is
 * cut before the bank sees it: the shop cannot tell whether it was charged, and the bank was not).
 */
export type PayMode = 'forward' | 'drop';

export interface BankProxy {
  url: string;
  /** The order id of every `POST /bank/pay` the shop sent, in order (dropped ones included). */
  payCalls: string[];
  /** The order id of every `POST /bank/pay` cut off before the bank (`payMode: 'drop'`). */
  dropped: string[];
  payMode: PayMode;
  close(): Promise<void>;
}

/** Forwards every request to the bank (`target`, e.g. `http://127.0.0.1:PORT`) and records the payments asked for. */
function startBankProxy(port: number, target: string): Promise<BankProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const proxy: Omit<BankProxy, 'close'> = { url: `http://127.0.0.1:${port}`, payCalls: [], dropped: [], payMode: 'forward' };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'POST' && request.url === '/bank/pay') {
        let orderId = '(unreadable)';
        try {
          orderId = String(JSON.parse(body.toString('utf8')).order_id);
        } catch {
          // Recorded as unreadable.
        }
        proxy.payCalls.push(orderId);
        if (proxy.payMode === 'drop') {
          proxy.dropped.push(orderId);
          response.socket?.destroy();
          return;
        }
      }
      const upstream = http.request(`${target}${request.url}`, { method: request.method, headers: request.headers, agent }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end('{"message":"bank unreachable through the test proxy","code":"PROXY"}');
      });
      upstream.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve(
        Object.assign(proxy, {
          close: () =>
            new Promise<void>((done) => {
              agent.destroy();
              server.closeAllConnections();
              server.close(() => done());
            }),
        }),
      ),
    );
  });
}

export type FaultStack = Awaited<ReturnType<typeof startFaultStack>>;

/**
 * `env` goes to both services (settings such as BANK_TIMEOUT_MS or RECONCILE_AFTER_MS);
 * `shopMerchantKey` gives the shop another key than the bank's (a rotation gone wrong).
 */
export async function startFaultStack(options: { env?: Record<string, string>; shopMerchantKey?: string } = {}) {
  const starters = await localStarters();
  const dbPath = mkdtempSync(path.join(tmpdir(), 'shop-faults-'));
  const ports = {
    dynamo: await starters.freePort(),
    api: await starters.freePort(),
    lambda: await starters.freePort(),
    bank: await starters.freePort(),
    bankLambda: await starters.freePort(),
    proxy: await starters.freePort(),
  };
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const bankUrl = `http://127.0.0.1:${ports.bank}/bank`;
  const stage = 'test';
  const merchantKey = starters.newMerchantKey();

  // The handlers are bundled once, while DynamoDB Local starts: a restarted API runs the same ones.
  const [handlers, started] = (await starters.startAllOrUndo([
    [starters.bundleServices({ stage }), (bundles: Bundles) => bundles.remove()],
    [starters.startDynamoLocal({ port: ports.dynamo, dbPath }), (database: DynamoLocal) => database.stop()],
  ])) as [Bundles, DynamoLocal];
  let dynamo: DynamoLocal | undefined = started;
  const env: Record<string, string> = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    LOG_LEVEL: 'ERROR',
    BANK_RANDOM_SEED: 'faults',
    BREAKER_HALF_OPEN_AFTER_MS: '1500',
    // The scenarios flip the bank's faults and pay at once.
    BANK_FAULTS_CACHE_MS: '0',
    // The tests run the reconciler themselves, when they choose.
    RECONCILE_SCHEDULE: 'rate(1 day)',
    ...options.env,
  };
  let bank: Child;
  try {
    bank = await starters.startOffline({
      service: 'bank',
      stage,
      httpPort: ports.bank,
      lambdaPort: ports.bankLambda,
      env: { ...env, MERCHANT_KEY: merchantKey },
      inProcess: true,
      handlers: handlers.bank,
    });
  } catch (error) {
    await dynamo.stop();
    handlers.remove();
    throw error;
  }
  const proxy = await startBankProxy(ports.proxy, `http://127.0.0.1:${ports.bank}`);
  const shopEnv = { ...env, BANK_URL: `${proxy.url}/bank`, BANK_MERCHANT_KEY: options.shopMerchantKey ?? merchantKey };
  const startApi = (extraEnv: Record<string, string> = {}) =>
    starters.startOffline({
      service: 'shop',
      stage,
      httpPort: ports.api,
      lambdaPort: ports.lambda,
      env: { ...shopEnv, ...extraEnv },
      inProcess: true,
      handlers: handlers.shop,
    });
  let api: Child;
  try {
    api = await startApi();
  } catch (error) {
    await proxy.close();
    await bank.stop();
    await dynamo.stop();
    handlers.remove();
    throw error;
  }

  return {
    apiUrl,
    /** The bank's own address (not the proxy's): a test's own calls to the bank are not counted. */
    bankUrl,
    stage,
    env,
    merchantKey,
    proxy,
    table: (name: string) => `serverless-shop-${stage}-${name}`,
    bankTable: (name: 'payments' | 'faults') => `shop-bank-${stage}-${name}`,
    dynamoEndpoint: dynamo.endpoint,
    /** The API's process id: the same before and after a recovery means it was not restarted. */
    apiPid: () => api.pid,
    /** Points the shared test helpers (`api()`, `bank()`, `testStack()`) at this stack. */
    use() {
      process.env.TEST_API_URL = apiUrl;
      process.env.TEST_BANK_URL = bankUrl;
      process.env.TEST_DYNAMODB_ENDPOINT = env.DYNAMODB_ENDPOINT;
      process.env.TEST_STAGE = stage;
      process.env.TEST_STACK_ENV = JSON.stringify({ ...shopEnv, MERCHANT_KEY: merchantKey });
    },
    /** SIGTERM: DynamoDB Local shuts down. */
    async stopDynamo() {
      await dynamo?.stop();
      dynamo = undefined;
    },
    /** SIGKILL: gone at once, for scenarios that must hit a precise moment. */
    async killDynamo() {
      dynamo?.process.child.kill('SIGKILL');
      await dynamo?.process.exit;
      dynamo = undefined;
    },
    async startDynamo() {
      dynamo = await starters.startDynamoLocal({ port: ports.dynamo, dbPath });
    },
    /** Resolves once the API process has died (the crash switch kills it from inside). */
    apiExit: () => api.process.exit,
    /** SIGKILL: no cleanup, no goodbye, like a container that vanishes. */
    async killApi() {
      api.process.child.kill('SIGKILL');
      await api.process.exit;
    },
    async restartApi(extraEnv: Record<string, string> = {}) {
      await api.stop();
      api = await startApi(extraEnv);
    },
    /** Invokes a shop function directly (serverless-offline's Lambda endpoint), e.g. the scheduled reconciler. */
    async invoke(functionName: string, payload: unknown = {}): Promise<unknown> {
      const response = await fetch(`http://127.0.0.1:${ports.lambda}/2015-03-31/functions/serverless-shop-${stage}-${functionName}/invocations`, {
        method: 'POST',
        body: JSON.stringify(payload),
      });
      if (!response.ok) throw new Error(`invoke ${functionName}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text ? JSON.parse(text) : undefined;
    },
    async stop() {
      await api.stop();
      await proxy.close();
      await bank.stop();
      await dynamo?.stop();
      handlers.remove();
      rmSync(dbPath, { recursive: true, force: true });
    },
  };
}
