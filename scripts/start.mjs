#!/usr/bin/env node
// `npm start` / `npm run dev`: the whole shop on one machine. DynamoDB Local (unless
// DYNAMODB_ENDPOINT is set), tables from the two serverless.yml files, the bank's serverless-offline,
// the shop's serverless-offline, the SPA, and on the SPA's own origin the local trace collector
// (/_local/*, fed every line both serverless-offline processes print; docs/trace-collector.md).
// Ctrl-C or SIGTERM stops every child it started, by PID.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startDynamoLocal } from './local/dynamodb-local.mjs';
import { assertPortFree } from './local/ports.mjs';
import { bundleServices, newTokenSecret, startServices } from './local/services.mjs';
import { LOCAL_STAGES, localSettings, portFromEnv, projectRoot as root, shownPath as shown } from './local/settings.mjs';
import { createTraceCollector } from './local/trace-collector.mjs';

const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');
// The bank's fault settings are kept in its table; a new run starts from its defaults unless told otherwise.
const keepFaults = args.has('--keep-faults');
// Access tokens that expire within a minute, to watch expiry and the silent refresh (local stages only).
const shortTokens = args.has('--short-tokens');
const SHORT_TOKEN_TTL_SECONDS = 20;

function readSettings() {
  try {
    const apiPort = portFromEnv(process.env, 'API_PORT', 5003);
    const shared = localSettings();
    return {
      ...shared,
      stage: process.env.STAGE || 'local',
      apiPort,
      lambdaPort: portFromEnv(process.env, 'LAMBDA_PORT', apiPort + 10),
      sitePort: portFromEnv(process.env, 'SITE_PORT', 5000),
      inMemory: args.has('--in-memory') || shared.inMemory,
      // The collector reads the INFO `request` lines: INFO unless LOG_LEVEL says otherwise.
      logLevel: process.env.LOG_LEVEL || 'INFO',
    };
  } catch (error) {
    // Nothing is running yet: one line, and out.
    process.stderr.write(`\n✖ ${error.message}\n`);
    process.exit(1);
  }
}
const settings = readSettings();
if (shortTokens && !LOCAL_STAGES.has(settings.stage)) {
  process.stderr.write(`\n✖ --short-tokens works on local stages only (${[...LOCAL_STAGES].join(', ')}), not "${settings.stage}".\n`);
  process.exit(1);
}
const host = 'localhost';
const apiUrl = `http://${host}:${settings.apiPort}`;
const siteUrl = `http://${host}:${settings.sitePort}`;

// The AWS SDK's notice about a future Node 22 requirement is noise for a local run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const running = [];
let stopping = false;

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  return shutdown(1);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  // Last started, first stopped: the API before the database it uses.
  for (const item of running.reverse()) {
    try {
      await item.stop();
    } catch (error) {
      process.stderr.write(`could not stop ${item.name}: ${error.message}\n`);
    }
  }
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    process.stdout.write('\nStopping…\n');
    void shutdown(0);
  });
}

function watchForCrash(name, child) {
  child.exit.then(({ code, signal }) => {
    if (!stopping) void fail(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.\n${child.output()}`);
  });
}

const step = (text) => process.stdout.write(`• ${text}\n`);

async function main() {
  // Refuse early, with one line, rather than half-start.
  await assertPortFree(settings.apiPort, '127.0.0.1', 'the API (API_PORT)');
  await assertPortFree(settings.lambdaPort, '127.0.0.1', 'the Lambda invoke endpoint (LAMBDA_PORT)');
  await assertPortFree(settings.bankPort, '127.0.0.1', 'the bank (BANK_PORT)');
  await assertPortFree(settings.bankLambdaPort, '127.0.0.1', "the bank's Lambda invoke endpoint (BANK_LAMBDA_PORT)");
  await assertPortFree(settings.sitePort, '127.0.0.1', 'the web site (SITE_PORT)');

  // In-process servers run handlers bundled beforehand, here while DynamoDB Local and the site start.
  const bundling = dev ? Promise.resolve(undefined) : bundleServices({ stage: settings.stage });
  bundling.catch(() => {}); // awaited before the servers start; a failure is reported there
  running.push({ name: 'handler bundles', stop: async () => (await bundling.catch(() => undefined))?.remove() });
  if (!dev) step('Bundling the handlers (serverless bundle: the bank and the shop side by side)…');

  let dynamoEndpoint = settings.externalDynamo;
  if (!dynamoEndpoint) {
    await assertPortFree(settings.dynamoPort, '127.0.0.1', 'DynamoDB Local (DYNAMODB_PORT)');
    step(`Starting DynamoDB Local (${settings.inMemory ? 'in memory' : `data in ${shown(settings.dataDir)}`})…`);
    const dynamo = await startDynamoLocal({ port: settings.dynamoPort, inMemory: settings.inMemory, dbPath: settings.dataDir });
    running.push({ name: 'DynamoDB Local', stop: dynamo.stop });
    watchForCrash('DynamoDB Local', dynamo.process);
    dynamoEndpoint = dynamo.endpoint;
  }

  const jwtSecretGenerated = !process.env.JWT_SECRET;
  const env = {
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    JWT_SECRET: process.env.JWT_SECRET || newTokenSecret(),
    SITE_ORIGIN: process.env.SITE_ORIGIN || siteUrl,
    LOG_LEVEL: settings.logLevel,
    ...(shortTokens ? { ACCESS_TOKEN_TTL_SECONDS: String(SHORT_TOKEN_TTL_SECONDS) } : {}),
  };
  // Nothing it keeps leaves this process: traces live in memory, bounded, and go with Ctrl-C.
  const collector = createTraceCollector();
  const bankUrl = `http://${host}:${settings.bankPort}/bank`;

  let site;
  const siteModule = path.join(root, 'scripts/site/build.mjs');
  if (existsSync(siteModule)) {
    step(`Building the web site${dev ? ' (watching for changes)' : ''}…`);
    const { buildSite } = await import('./site/build.mjs');
    const { serveSite } = await import('./site/serve.mjs');
    const outDir = path.join(root, 'dist/site');
    const build = await buildSite({ outDir, apiUrl, bankUrl, watch: dev });
    if (build?.stop) running.push({ name: 'site watcher', stop: build.stop });
    site = await serveSite({ dir: outDir, port: settings.sitePort, host: '127.0.0.1', handle: collector.handle });
    running.push({ name: 'web site', stop: site.close });
  }

  let ready = false;
  const handlers = await bundling;
  const services = await startServices({
    stage: settings.stage,
    ports: { api: settings.apiPort, lambda: settings.lambdaPort, bank: settings.bankPort, bankLambda: settings.bankLambdaPort },
    env,
    inProcess: !dev,
    handlers,
    onStep: step,
    onLine: (service, line) => {
      collector.onLine(service, line);
      if (ready || dev) process.stdout.write(`${service === 'bank' ? '[bank] ' : ''}${line}\n`);
    },
  });
  // Last started, first stopped: the shop before the bank it calls.
  running.push({ name: 'bank (serverless-offline)', stop: services.bank.stop });
  running.push({ name: 'serverless-offline', stop: services.shop.stop });
  watchForCrash('bank (serverless-offline)', services.bank.process);
  watchForCrash('serverless-offline', services.shop.process);
  const faults = await resetBankFaults(services.bankUrl, keepFaults);
  ready = true;

  const lines = [
    '',
    `  Serverless shop is running — stage "${settings.stage}"${dev ? ', dev mode (handlers reload on save)' : ''}`,
    '',
    site ? `  Shop (web site)   ${siteUrl}` : undefined,
    `  API               ${apiUrl}   (e.g. GET ${apiUrl}/api/products)`,
    `  Bank              ${bankUrl}   (its own service; pay and payments need the merchant key, faults are open locally)`,
    `  Bank faults       ${faults}`,
    `  DynamoDB          ${dynamoEndpoint}${settings.externalDynamo ? ' (external)' : settings.inMemory ? ' (in memory: data is lost on stop)' : ` (data kept in ${shown(settings.dataDir)}/)`}`,
    `  Demo account      test / 1234`,
    site ? `  Traces            ${siteUrl}/_local/traces/<trace id>   (local only, in memory; ${tracesNote()})` : undefined,
    shortTokens ? `  Access tokens     expire after ${SHORT_TOKEN_TTL_SECONDS} s (--short-tokens), to watch expiry and the silent refresh` : undefined,
    jwtSecretGenerated ? '  Token secret      random for this run: tokens do not survive a restart (set JWT_SECRET to keep them)' : undefined,
    '  Merchant key      random for this run, given to the bank and the shop only',
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].filter((line) => line !== undefined);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** What the banner says about the collector: it needs the INFO `request` lines. */
function tracesNote() {
  return ['TRACE', 'DEBUG', 'INFO'].includes(settings.logLevel.toUpperCase())
    ? 'fed by both serverless-offline processes'
    : `empty: LOG_LEVEL=${settings.logLevel} hides the INFO lines it reads`;
}

/**
 * A newcomer must not inherit an earlier run's « Banque en panne »: the bank goes back to its
 * documented defaults (DELETE /bank/faults) unless `--keep-faults` asks to keep what is stored.
 */
async function resetBankFaults(bankUrl, keep) {
  const response = await fetch(`${bankUrl}/faults`, { method: keep ? 'GET' : 'DELETE' });
  if (response.status !== 200) throw new Error(`the bank's fault settings could not be ${keep ? 'read' : 'reset'} (HTTP ${response.status})`);
  const body = await response.json();
  if (!keep) return "back to the defaults (npm start -- --keep-faults keeps the last run's)";
  return body.at_defaults
    ? 'at the defaults'
    : `kept from the last run, not the defaults: ${JSON.stringify({ success_rate: body.success_rate, latency_ms: body.latency_ms, down: body.down, error_rate: body.error_rate })}`;
}

main().catch((error) => fail(error.message));
