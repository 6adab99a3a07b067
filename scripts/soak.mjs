#!/usr/bin/env node
// `npm run soak`: mixed traffic (register, login, refresh, orders, history) against a stack of its
// own (DynamoDB Local, the bank's serverless-offline, the shop's), with the bank flaky, for 10 minutes by default. Reports requests/s, latency percentiles,
// every status, the 5xx (the expected `error_service` 503s apart from any other), and checks the
// tables at the end: stored orders = accepted orders, bank payments = paid orders.
//
//   npm run soak                                    # 10 minutes
//   npm run soak -- --duration 3m --clients 8 --error-rate 0.1
//   SOAK_DURATION=90s npm run soak
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startStack } from './local/stack.mjs';
import { localDynamoClient } from './local/tables.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.SOAK_DURATION ?? '10m' },
    clients: { type: 'string', default: process.env.SOAK_CLIENTS ?? '8' },
    'error-rate': { type: 'string', default: process.env.SOAK_ERROR_RATE ?? '0.1' },
    'half-open-ms': { type: 'string', default: process.env.SOAK_HALF_OPEN_MS ?? '2000' },
  },
});

function parseDuration(text) {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`--duration: expected e.g. 90s, 3m or 1h, got ${JSON.stringify(text)}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'];
}

const DURATION_MS = parseDuration(args.duration);
const CLIENTS = Number(args.clients);
const ERROR_RATE = Number(args['error-rate']);
const HALF_OPEN_MS = args['half-open-ms'];
const PASSWORD = 'soak password';
/** One-line carts, a catalogue name each (the spelling rules are the unit tests' business). */
const CARTS = [
  ['Fraises', 2],
  ['Laine', 1],
  ['Cookies', 3],
  ['Pêches (kg)', 4],
  ['Paquet de pâtes', 10],
].map(([article, quantity]) => ({ items: [{ article, quantity }] }));
/** What a virtual user does next, by weight. */
/** @type {Array<[string, number]>} */
const ACTIONS = [
  ['order', 50],
  ['history', 20],
  ['refresh', 12],
  ['login', 12],
  ['register', 6],
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => process.stdout.write(`${line}\n`);

// ---- measurements ----
const latencies = new Map(); // route → ms[]
const statuses = new Map(); // `${route} ${status}` → count
const unexpected = []; // 5xx other than error_service, and network errors
let expected503 = 0;
let requests = 0;

function record(route, status, ms, body) {
  requests++;
  (latencies.get(route) ?? latencies.set(route, []).get(route)).push(ms);
  const label = `${route} ${status}${status === 503 && body?.code ? ` ${body.code}` : ''}`;
  statuses.set(label, (statuses.get(label) ?? 0) + 1);
  if (status >= 500) {
    if (route === 'POST /api/orders' && status === 503 && body?.status === 'error_service') expected503++;
    else unexpected.push(`${label}: ${JSON.stringify(body).slice(0, 200)}`);
  }
}

async function call(stack, method, path, body, headers = {}, base = stack.apiUrl) {
  const route = `${method} ${path.split('?')[0]}`;
  const started = performance.now();
  try {
    const response = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    record(route, response.status, performance.now() - started, parsed);
    return { status: response.status, body: parsed, headers: response.headers };
  } catch (error) {
    record(route, 'network', performance.now() - started, { error: String(error) });
    unexpected.push(`${route}: ${String(error)}`);
    return { status: 0, body: undefined, headers: new Headers() };
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

// ---- the virtual users ----
const accepted = new Map(); // order id → { status, totalCents }
let unresolvedKeys = 0;

async function virtualUser(stack, index, deadline) {
  const session = { username: `soak${index}x${Date.now().toString(36)}`, access: '', refresh: '' };
  const signIn = async () => {
    const login = await call(stack, 'POST', '/auth/login', { username: session.username, password: PASSWORD });
    if (login.status === 200) Object.assign(session, { access: login.body.access_token, refresh: login.body.refresh_token });
  };
  await call(stack, 'POST', '/auth/register', { username: session.username, password: PASSWORD });
  await signIn();
  const total = ACTIONS.reduce((sum, [, weight]) => sum + weight, 0);
  for (let n = 0; Date.now() < deadline; n++) {
    let pick = Math.random() * total;
    const [action] =
      ACTIONS.find(([, weight]) => {
        pick -= weight;
        return pick < 0;
      }) ?? ACTIONS[0];
    const auth = { authorization: `Bearer ${session.access}` };
    if (action === 'order') {
      const key = `soak-${index}-${n}`;
      const cart = CARTS[n % CARTS.length];
      // One key, retried until the bank's answer arrives: the client never gives up on an order.
      let answer;
      for (let attempt = 0; attempt < 60; attempt++) {
        answer = await call(stack, 'POST', '/api/orders', cart, { ...auth, 'idempotency-key': key });
        if (answer.status === 201 || answer.status === 402) break;
        if (answer.status === 401) await signIn();
        await sleep(Math.min(Number(answer.headers.get('retry-after') ?? 1), 2) * 1000 * (0.5 + Math.random() / 2));
      }
      if (answer.status === 201 || answer.status === 402) accepted.set(answer.body.order_id, { status: answer.status, totalCents: answer.body.total_cents });
      else unresolvedKeys++;
    } else if (action === 'history') {
      await call(stack, 'GET', '/api/orders?limit=20', undefined, auth);
    } else if (action === 'refresh') {
      const refreshed = await call(stack, 'POST', '/auth/refresh', { refresh_token: session.refresh });
      if (refreshed.status === 200) Object.assign(session, { access: refreshed.body.access_token, refresh: refreshed.body.refresh_token });
      else await signIn();
    } else if (action === 'login') {
      await signIn();
    } else {
      const other = `soakextra${index}x${n}x${Date.now().toString(36)}`.slice(0, 32);
      await call(stack, 'POST', '/auth/register', { username: other, password: PASSWORD });
    }
  }
}

async function scanAll(db, TableName) {
  const items = [];
  let ExclusiveStartKey;
  do {
    const page = await db.send(new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

// ---- run ----
log(
  `soak: ${CLIENTS} clients for ${args.duration}, bank success_rate 0.5 and error_rate ${ERROR_RATE} (answers lost as 500), breaker half-open after ${HALF_OPEN_MS} ms`,
);
const stack = await startStack({ env: { BREAKER_HALF_OPEN_AFTER_MS: HALF_OPEN_MS, LOG_LEVEL: 'ERROR' }, log });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
};
process.on('SIGINT', () => stop().then(() => process.exit(130)));

let failed = false;
try {
  // The bank is a service of its own: its fault settings are on its API (local stages only, no credential).
  const faults = await call(stack, 'PUT', '/faults', { success_rate: 0.5, error_rate: ERROR_RATE, latency_ms: 0, down: false }, {}, stack.bankUrl);
  if (faults.status !== 200) throw new Error(`could not make the bank flaky: ${faults.status}`);
  const started = Date.now();
  const deadline = started + DURATION_MS;
  const progress = setInterval(() => {
    const seconds = (Date.now() - started) / 1000;
    log(`  ${seconds.toFixed(0)} s: ${requests} requests (${(requests / seconds).toFixed(0)}/s), ${accepted.size} orders accepted, ${unexpected.length} unexpected`);
  }, 30_000);
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => virtualUser(stack, index, deadline)));
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;

  // ---- the tables against the answers ----
  const db = DynamoDBDocumentClient.from(localDynamoClient(stack.dynamoEndpoint));
  // The shop's tables (serverless.yml) and the bank's own (bank/serverless.yml).
  const orders = (await scanAll(db, `serverless-shop-${stack.stage}-orders`)).filter((item) => String(item.sk).startsWith('ORDER#'));
  const payments = new Map((await scanAll(db, `shop-bank-${stack.stage}-payments`)).map((item) => [item.orderId, item]));
  const byStatus = (status) => orders.filter((order) => order.status === status);
  const final = orders.filter((order) => order.status === 'PAID' || order.status === 'DECLINED');
  const lostAccepted = [...accepted].filter(([orderId, { status }]) => {
    const stored = orders.find((order) => order.orderId === orderId);
    return stored?.status !== (status === 201 ? 'PAID' : 'DECLINED');
  });
  const approved = [...payments.values()].filter((payment) => payment.status === 'APPROVED');
  // A PAID order has the bank's approved payment for its amount, in its currency.
  const paidWithoutPayment = byStatus('PAID').filter((order) => {
    const payment = payments.get(order.orderId);
    return payment?.status !== 'APPROVED' || payment.amountCents !== order.totalCents || payment.currency !== order.currency;
  });
  const failedReasons = {};
  for (const order of byStatus('FAILED')) failedReasons[order.failureReason] = (failedReasons[order.failureReason] ?? 0) + 1;
  const chargedFailed = byStatus('FAILED').filter((order) => payments.has(order.orderId));
  const callsHistogram = {};
  for (const payment of payments.values()) callsHistogram[payment.calls] = (callsHistogram[payment.calls] ?? 0) + 1;

  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  log('');
  log(`soak report — ${seconds.toFixed(0)} s, ${CLIENTS} clients, bank error_rate ${ERROR_RATE}`);
  log(
    `  requests: ${requests} (${(requests / seconds).toFixed(1)}/s); latency p50 ${percentile(all, 0.5).toFixed(0)} ms, p99 ${percentile(all, 0.99).toFixed(0)} ms, max ${percentile(all, 1).toFixed(0)} ms`,
  );
  for (const [route, values] of [...latencies].sort()) {
    const sorted = [...values].sort((a, b) => a - b);
    log(
      `    ${route.padEnd(20)} ${String(values.length).padStart(7)}  p50 ${percentile(sorted, 0.5).toFixed(0).padStart(5)} ms  p99 ${percentile(sorted, 0.99).toFixed(0).padStart(5)} ms`,
    );
  }
  log(`  statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  log(
    `  5xx: ${unexpected.length} unexpected (500/502/504, STORAGE_UNAVAILABLE, network); ${expected503} expected 503 error_service from the flaky bank, each retried with its key`,
  );
  log(
    `  orders: ${accepted.size} accepted (201/402), ${final.length} stored PAID/DECLINED — stored = accepted: ${final.length === accepted.size && lostAccepted.length === 0}`,
  );
  log(
    `          PAID ${byStatus('PAID').length}, DECLINED ${byStatus('DECLINED').length}, PENDING ${byStatus('PENDING').length}, FAILED ${byStatus('FAILED').length} ${JSON.stringify(failedReasons)} (${chargedFailed.length} of them charged); keys never answered: ${unresolvedKeys}`,
  );
  log(
    `  payments: ${payments.size} (APPROVED ${approved.length}) — approved payments = paid orders: ${approved.length === byStatus('PAID').length && paidWithoutPayment.length === 0}; calls per payment ${JSON.stringify(callsHistogram)}`,
  );
  for (const line of unexpected.slice(0, 10)) log(`  unexpected: ${line}`);

  failed =
    unexpected.length > 0 ||
    lostAccepted.length > 0 ||
    final.length !== accepted.size ||
    approved.length !== byStatus('PAID').length ||
    paidWithoutPayment.length > 0 ||
    chargedFailed.length > 0 ||
    unresolvedKeys > 0;
  log(failed ? 'soak: FAILED' : 'soak: passed');
} catch (error) {
  failed = true;
  log(`soak: FAILED — ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await stop();
}
process.exit(failed ? 1 : 0);
