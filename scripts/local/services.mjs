// The shop's two serverless-offline processes, started the same way by `npm start`, the tests and
// the benchmarks: the bank first (its own service, port and merchant key), then the shop's API,
// which is given the bank's address and the same key. Both are stopped by PID.
import { randomBytes } from 'node:crypto';
import { migrateBankTables } from './migrate-bank-tables.mjs';
import { bundleHandlers, startOffline } from './offline.mjs';
import { startAllOrUndo } from './processes.mjs';

/** A merchant key for one local run: 256 random bits, known only to the two processes. */
export const newMerchantKey = () => randomBytes(32).toString('base64url');

/** A token secret for one local run (JWT_SECRET): tokens it signed do not survive a restart. */
export const newTokenSecret = () => randomBytes(48).toString('base64url');

/** @typedef {{ api?: number, lambda?: number, bank: number, bankLambda: number }} Ports */
/** @typedef {{ folder: string, remove(): void }} Bundle */
/** @typedef {{ bank: Bundle, shop: Bundle, remove(): void }} Bundles */

/**
 * Both services' handlers, bundled side by side, each in a process of its own (bundleHandlers), for
 * in-process servers. `remove()` deletes them once no server uses them.
 * @param {{ stage: string }} options
 * @returns {Promise<Bundles>}
 */
export async function bundleServices({ stage }) {
  const remove = (/** @type {Bundle} */ bundle) => bundle.remove();
  const [bank, shop] = /** @type {[Bundle, Bundle]} */ (
    await startAllOrUndo([
      [bundleHandlers({ service: 'bank', stage }), remove],
      [bundleHandlers({ service: 'shop', stage }), remove],
    ])
  );
  return {
    bank,
    shop,
    remove() {
      bank.remove();
      shop.remove();
    },
  };
}

/**
 * The bank's serverless-offline on `ports.bank`, holding `merchantKey` (MERCHANT_KEY); on a local
 * stage, the shop's old bank tables are moved into the bank's own before anyone pays. In-process,
 * it runs the handlers of `handlers`, or bundles them first.
 * @param {{ stage: string, ports: Ports, env: Record<string, string>, merchantKey: string, inProcess?: boolean,
 *   handlers?: Bundle, onLine?: (line: string) => void, onStep?: (text: string) => void }} options
 */
export async function startBank({ stage, ports, env, merchantKey, inProcess = true, handlers, onLine = () => {}, onStep = () => {} }) {
  onStep(`Starting the bank (serverless-offline on :${ports.bank})…`);
  const bank = await startOffline({
    service: 'bank',
    stage,
    httpPort: ports.bank,
    lambdaPort: ports.bankLambda,
    inProcess,
    handlers,
    env: { ...env, MERCHANT_KEY: merchantKey },
    onLine,
  });
  try {
    const migrated = await migrateBankTables({ endpoint: env.DYNAMODB_ENDPOINT, stage });
    if (migrated) onStep(`Moved ${migrated.payments} payment(s) from the shop's old bank tables into the bank's own`);
  } catch (error) {
    await bank.stop();
    throw error;
  }
  return { bank, bankUrl: `http://127.0.0.1:${ports.bank}/bank` };
}

/**
 * `env` goes to both processes (DYNAMODB_ENDPOINT, JWT_SECRET, SITE_ORIGIN, settings); the
 * merchant key is handed to the bank as MERCHANT_KEY and to the shop as BANK_MERCHANT_KEY.
 * In-process, the servers run the handlers of `handlers` (bundleServices: the caller removes them),
 * or each bundles its own first (startOffline).
 * @param {{ stage: string, ports: Required<Ports>, env: Record<string, string>, merchantKey?: string, inProcess?: boolean,
 *   handlers?: Bundles, onLine?: (service: 'bank' | 'shop', line: string) => void, onStep?: (text: string) => void }} options
 */
export async function startServices({ stage, ports, env, merchantKey = newMerchantKey(), inProcess = true, handlers, onLine = () => {}, onStep = () => {} }) {
  const { bank, bankUrl } = await startBank({ stage, ports, env, merchantKey, inProcess, handlers: handlers?.bank, onStep, onLine: (line) => onLine('bank', line) });
  try {
    onStep(`Starting the shop's API (serverless-offline on :${ports.api}, ${inProcess ? 'in-process' : 'worker threads, reload on change'})…`);
    const shop = await startOffline({
      service: 'shop',
      stage,
      httpPort: ports.api,
      lambdaPort: ports.lambda,
      inProcess,
      handlers: handlers?.shop,
      env: { ...env, BANK_URL: bankUrl, BANK_MERCHANT_KEY: merchantKey },
      onLine: (line) => onLine('shop', line),
    });
    return {
      apiUrl: `http://127.0.0.1:${ports.api}`,
      bankUrl,
      merchantKey,
      bank,
      shop,
      async stop() {
        await shop.stop();
        await bank.stop();
      },
    };
  } catch (error) {
    await bank.stop();
    throw error;
  }
}
