// Cost of token verification in one process: auth's `verifyAccessToken` alone, and the TOKEN
// authorizer (header parsing, verification, session check, policy) composed as its handler.ts
// composes it — with a token it sees for the first time, with one it has verified before, and the
// session check alone: remembered (cache hit) or read from the table (miss).
// DynamoDB is the functions' client (lib/dynamo.ts) calling an in-process server that answers every
// GetItem with an open session, so the numbers are CPU, a miss's including the server's side (dynamo-client-cpu
// measures that share); with DYNAMODB_ENDPOINT set (DynamoDB Local) the misses are real reads, and
// the wall time counts.
// Usage: node token-cpu.cjs <result.json> <verifications>

import { writeFileSync } from 'node:fs';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createRefreshTokensRepository } from '../../../functions/auth/refresh-tokens-repository';
import { verifyingSessions } from '../../../functions/auth/sessions';
import { createTokenService, loadTokenSettings, readTokenConfig } from '../../../functions/auth/tokens';
import { createAuthorizer } from '../../../functions/authorizer/authorizer';
import { rememberSessionFamilies, rememberVerifiedTokens } from '../../../functions/authorizer/verified-tokens';
import { systemClock } from '../../../lib/clock';
import { createDynamo, type Dynamo, readDynamoSettings } from '../../../lib/dynamo';
import { logger } from '../../../lib/logger';
import { serveCanned } from './canned-dynamo';

const [resultFile = '/dev/stdout', countArg = '20000'] = process.argv.slice(2);
const count = Number(countArg);
const endpoint = process.env.DYNAMODB_ENDPOINT;
const table = process.env.REFRESH_TOKENS_TABLE ?? 'bench-refresh-tokens';

const BATCHES = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** CPU and wall time per call: the median of 5 batches, so one disturbed moment does not decide. */
async function measure(run: (i: number) => Promise<unknown>, calls = count): Promise<{ cpuMs: number; wallMs: number }> {
  const warmUp = Math.min(2000, calls);
  for (let i = 0; i < warmUp; i++) await run(i);
  const perBatch = Math.floor(calls / BATCHES);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (let batch = 0, i = warmUp; batch < BATCHES; batch++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const end = i + perBatch; i < end; i++) await run(i);
    wallMs.push((performance.now() - started) / perBatch);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000 / perBatch);
  }
  return { cpuMs: median(cpuMs), wallMs: median(wallMs) };
}

/** The client lib/dynamo.ts builds: on DynamoDB Local, or on an in-process server answering every GetItem with an open session. */
async function dynamoClient(): Promise<{ dynamo: Dynamo; close: () => Promise<void> }> {
  if (endpoint) return { dynamo: createDynamo(readDynamoSettings()), close: async () => {} };
  const server = await serveCanned({
    GetItem: JSON.stringify({
      Item: {
        id: { S: 'family#x' },
        username: { S: 'bench-user' },
        revoked: { BOOL: false },
        expiresAt: { N: '9999999999' },
        createdAt: { S: '2026-01-01T00:00:00.000Z' },
      },
    }),
  });
  return { dynamo: createDynamo({ endpoint: server.endpoint, region: 'eu-west-3' }), close: server.close };
}

async function main(): Promise<void> {
  logger.setLogLevel('WARN');
  const tokens = createTokenService(await loadTokenSettings(readTokenConfig()));
  const { dynamo, close } = await dynamoClient();
  const families = createRefreshTokensRepository(dynamo, table);
  const sessions = Array.from({ length: 100 }, (_, i) => `bench-session-${i}`);
  if (endpoint) {
    for (const id of sessions) {
      await dynamo.PutItem({ TableName: table, Item: { id: `family#${id}`, username: 'bench-user', revoked: false, expiresAt: 9_999_999_999 } });
    }
  }
  const authorizerWith = (ttlMs: number) =>
    createAuthorizer(
      verifyingSessions(rememberVerifiedTokens(tokens, { clock: systemClock }), rememberSessionFamilies(families, { ttlMs, clock: systemClock }), systemClock, {
        consistent: false,
      }),
      logger,
    );
  const event = (bearer: string): APIGatewayTokenAuthorizerEvent => ({
    type: 'TOKEN',
    authorizationToken: `Bearer ${bearer}`,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/api/orders',
  });
  const { token } = await tokens.issueAccessToken('bench-user', sessions[0] as string);
  // One distinct token per call (different users' sessions), issued before the clock starts.
  const fresh: string[] = [];
  for (let i = 0; i < Math.min(2000, count) + count; i++) fresh.push((await tokens.issueAccessToken('bench-user', sessions[i % sessions.length] as string)).token);
  const verify = await measure(() => tokens.verifyAccessToken(token));
  // Session cache off: a table read for every token, as a first sight of each session would be.
  const uncached = authorizerWith(0);
  const authorizer = await measure((i) => uncached(event(fresh[i] as string)));
  const cached = authorizerWith(10_000);
  const repeat = event(token);
  const authorizerRepeat = await measure(() => cached(repeat));
  // The same token every call (its signature remembered): only the session check differs.
  const sessionCheckMiss = await measure(() => uncached(repeat), endpoint ? Math.min(count, 5000) : count);
  const issue = await measure(() => tokens.issueAccessToken('bench-user', 'bench-session'));
  await close();
  writeFileSync(
    resultFile,
    JSON.stringify({
      count,
      dynamo: endpoint ? 'DynamoDB Local' : 'canned answers from an in-process server (CPU)',
      verify,
      authorizer,
      authorizerRepeat,
      sessionCheckMiss,
      issue,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
