// A local run's ports, data folder and switches, read from the environment: the same names and
// defaults for `npm start` (scripts/start.mjs) and a plain `serverless offline start`
// (serverless-local-stack.cjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Stages that run on a developer's machine (the same list as lib/config.ts isLocalStage). */
export const LOCAL_STAGES = new Set(['local', 'test']);

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `env[name]` as a port number, `fallback` when unset; anything else is refused, by name. */
export function portFromEnv(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1-65535), got "${raw}".`);
  return value;
}

const flagFromEnv = (env, name) => ['1', 'true', 'yes'].includes(String(env[name] ?? '').toLowerCase());

/** Where DynamoDB Local and the bank run when the starter brings them up itself. */
export function localSettings(env = process.env) {
  const bankPort = portFromEnv(env, 'BANK_PORT', 5004);
  return {
    /** A DynamoDB already running (DYNAMODB_ENDPOINT): nothing to start. */
    externalDynamo: env.DYNAMODB_ENDPOINT || undefined,
    dynamoPort: portFromEnv(env, 'DYNAMODB_PORT', 8000),
    inMemory: flagFromEnv(env, 'DYNAMODB_IN_MEMORY'),
    dataDir: path.resolve(projectRoot, env.DATA_DIR || '.data/dynamodb'),
    bankPort,
    bankLambdaPort: portFromEnv(env, 'BANK_LAMBDA_PORT', bankPort + 10),
  };
}

/** A folder as the banner shows it: relative to the project when inside it. */
export const shownPath = (dir) => (dir.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, dir) : dir);
