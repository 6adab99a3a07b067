// Cost of token verification in one process: auth's `verifyAccessToken` alone, and the whole
// TOKEN authorizer handler (header parsing, verification, policy) as API Gateway calls it —
// with a token it sees for the first time, and with one it has verified before (its cache).
// Usage: node token-cpu.cjs <result.json> <verifications>
import { writeFileSync } from 'node:fs';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { handler } from '../../../functions/authorizer/handler';
import { createTokenService, readTokenConfig, loadTokenSettings } from '../../../functions/auth/tokens';

const [resultFile = '/dev/stdout', countArg = '20000'] = process.argv.slice(2);
const count = Number(countArg);

const BATCHES = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** CPU and wall time per call: the median of 5 batches, so one disturbed moment does not decide. */
async function measure(run: (i: number) => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  const warmUp = Math.min(2000, count);
  for (let i = 0; i < warmUp; i++) await run(i);
  const perBatch = Math.floor(count / BATCHES);
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

async function main(): Promise<void> {
  const tokens = createTokenService(await loadTokenSettings(readTokenConfig()));
  const { token } = await tokens.issueAccessToken('bench-user');
  const event = (bearer: string): APIGatewayTokenAuthorizerEvent => ({
    type: 'TOKEN',
    authorizationToken: `Bearer ${bearer}`,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/api/orders',
  });
  // One distinct token per call (different users), issued before the clock starts.
  const fresh: string[] = [];
  for (let i = 0; i < Math.min(2000, count) + count; i++) fresh.push((await tokens.issueAccessToken(`bench-user-${i}`)).token);
  const verify = await measure(() => tokens.verifyAccessToken(token));
  const authorizer = await measure((i) => handler(event(fresh[i] as string)));
  const repeat = event(token);
  const authorizerRepeat = await measure(() => handler(repeat));
  const issue = await measure(() => tokens.issueAccessToken('bench-user'));
  writeFileSync(resultFile, JSON.stringify({ count, verify, authorizer, authorizerRepeat, issue }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
