// A serverless plugin: a plain `serverless offline start` on a local stage brings up what `npm start`
// would have given it, with the same code (scripts/local): DynamoDB Local when no DYNAMODB_ENDPOINT is
// set (data in .data/dynamodb, or DATA_DIR), a random token secret when no JWT_SECRET is set, and for
// the shop, when no BANK_URL is set, the bank's own serverless-offline with a random merchant key given
// to both. Under `npm start`, the tests and the benchmarks all of these are set: it does nothing.
// What it started stops when offline stops (Ctrl-C, SIGTERM), by PID. Ports: DYNAMODB_PORT (8000),
// BANK_PORT (5004), BANK_LAMBDA_PORT (BANK_PORT + 10). Must be listed before serverless-local-tables,
// which creates the tables in the database started here.
'use strict';

const path = require('node:path');

class LocalStackPlugin {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options;
    this.log = utils?.log ?? { notice: (message) => serverless.cli.log(message), error: (message) => serverless.cli.log(message) };
    /** What this process started, last first when stopping. */
    this.running = [];
    this.stopping = false;
    this.hooks = {
      'before:offline:start:init': () => this.start(),
      // Listed before serverless-offline, so this runs just before it waits for Ctrl-C or SIGTERM.
      'offline:start:ready': () => this.watchForCrash(),
      'before:offline:start:end': () => this.stop(),
    };
  }

  async start() {
    const { provider } = this.serverless.service;
    const [{ LOCAL_STAGES, localSettings, shownPath }, { SERVICES }] = await Promise.all([import('./settings.mjs'), import('./offline.mjs')]);
    if (!LOCAL_STAGES.has(provider.stage)) return;
    provider.environment ??= {};
    const given = (name) => process.env[name] || provider.environment[name] || undefined;
    const isBank = path.resolve(this.serverless.serviceDir) === path.resolve(SERVICES.bank.dir);
    // What is given in the shell reaches the functions even without --localEnvironment.
    const names = isBank ? ['DYNAMODB_ENDPOINT', 'MERCHANT_KEY'] : ['DYNAMODB_ENDPOINT', 'JWT_SECRET', 'BANK_URL', 'BANK_MERCHANT_KEY'];
    for (const name of names) if (given(name)) this.provide(name, given(name));
    const needs = {
      dynamo: !given('DYNAMODB_ENDPOINT'),
      tokenSecret: !isBank && !given('JWT_SECRET'),
      bank: !isBank && !given('BANK_URL'),
      merchantKey: isBank && !given('MERCHANT_KEY'),
    };
    if (!Object.values(needs).some(Boolean)) return;
    const settings = localSettings();
    // The AWS SDK's notice about a future Node 22 requirement is noise for a local run (as in npm start).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

    // A failed start leaves nothing behind, even when serverless exits before the end hook.
    process.once('exit', () => {
      for (const item of this.running) if (item.process.running) item.process.child.kill('SIGTERM');
    });
    await this.assertPortsFree(needs, settings, isBank);
    try {
      if (needs.dynamo) {
        const { startDynamoLocal } = await import('./dynamodb-local.mjs');
        const where = settings.inMemory ? 'in memory' : `data in ${shownPath(settings.dataDir)}`;
        this.log.notice(`Starting DynamoDB Local on :${settings.dynamoPort} (${where}); set DYNAMODB_ENDPOINT to use another`);
        const dynamo = await startDynamoLocal({ port: settings.dynamoPort, inMemory: settings.inMemory, dbPath: settings.dataDir });
        this.running.push({ name: 'DynamoDB Local', ...dynamo });
        this.provide('DYNAMODB_ENDPOINT', dynamo.endpoint);
      }
      if (needs.merchantKey) {
        const { newMerchantKey } = await import('./services.mjs');
        this.provide('MERCHANT_KEY', newMerchantKey());
        this.log.notice('Merchant key: random for this run (set MERCHANT_KEY to choose one)');
      }
      if (needs.bank) await this.startBank(settings, given);
      if (needs.tokenSecret) {
        const { newTokenSecret } = await import('./services.mjs');
        this.provide('JWT_SECRET', newTokenSecret());
        this.log.notice('Token secret: random for this run, tokens do not survive a restart (set JWT_SECRET to keep them)');
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async startBank(settings, given) {
    const { newMerchantKey, startBank } = await import('./services.mjs');
    const merchantKey = given('BANK_MERCHANT_KEY') ?? newMerchantKey();
    let ready = false;
    const { bank, bankUrl } = await startBank({
      stage: this.serverless.service.provider.stage,
      ports: { bank: settings.bankPort, bankLambda: settings.bankLambdaPort },
      env: { DYNAMODB_ENDPOINT: given('DYNAMODB_ENDPOINT') },
      merchantKey,
      // The bank runs as the shop does: in-process, or worker threads that reload edited handlers.
      inProcess: Boolean(this.options.useInProcess),
      onStep: (text) => this.log.notice(text),
      onLine: (line) => ready && process.stdout.write(`[bank] ${line}\n`),
    });
    ready = true;
    this.running.push({ name: 'bank (serverless-offline)', ...bank });
    this.provide('BANK_URL', bankUrl);
    this.provide('BANK_MERCHANT_KEY', merchantKey);
    this.log.notice(`Bank on ${bankUrl} (its own serverless-offline, pid ${bank.pid}); merchant key random for this run`);
  }

  /** Refuses a port in use before anything starts, with the variable that moves it. */
  async assertPortsFree(needs, settings, isBank) {
    const { assertPortFree } = await import('./ports.mjs');
    const offline = this.serverless.service.custom?.['serverless-offline'] ?? {};
    const ports = [
      [this.options.httpPort ?? offline.httpPort ?? 3000, isBank ? "the bank's API (--httpPort)" : "the shop's API (--httpPort)"],
      [this.options.lambdaPort ?? offline.lambdaPort ?? 3002, 'the Lambda invoke endpoint (--lambdaPort)'],
    ];
    if (needs.dynamo) ports.push([settings.dynamoPort, 'DynamoDB Local (DYNAMODB_PORT, or set DYNAMODB_ENDPOINT)']);
    if (needs.bank) {
      ports.push([settings.bankPort, 'the bank (BANK_PORT)'], [settings.bankLambdaPort, "the bank's Lambda invoke endpoint (BANK_LAMBDA_PORT)"]);
    }
    for (const [port, what] of ports) await assertPortFree(Number(port), '127.0.0.1', what);
  }

  /**
   * serverless.yml's `${env:…}` values were resolved before this ran: the functions' environment is
   * set here, and process.env too, for `--localEnvironment` and for the tables plugin.
   */
  provide(name, value) {
    this.serverless.service.provider.environment[name] = value;
    process.env[name] = value;
  }

  /** DynamoDB Local or the bank dying under a running shop stops the whole run, as `npm start` does. */
  watchForCrash() {
    if (this.running.length === 0) return;
    const markStopping = () => {
      this.stopping = true;
    };
    process.once('SIGINT', markStopping).once('SIGTERM', markStopping);
    for (const item of this.running) {
      item.process.exit.then(({ code, signal }) => {
        // A Ctrl-C in a terminal reaches every process of the group at once: give ours time to see it.
        setTimeout(() => {
          if (this.stopping) return;
          this.log.error(`${item.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping.\n${item.process.output()}`);
          process.kill(process.pid, 'SIGTERM');
        }, 1000).unref();
      });
    }
  }

  async stop() {
    this.stopping = true;
    if (this.running.length > 0)
      this.log.notice(
        `Stopping ${this.running
          .map((item) => item.name)
          .reverse()
          .join(', ')}…`,
      );
    while (this.running.length > 0) {
      const item = this.running.pop();
      try {
        await item.stop();
      } catch (error) {
        this.log.error(`Could not stop ${item.name} (pid ${item.pid}): ${error.message}`);
      }
    }
  }
}

module.exports = LocalStackPlugin;
