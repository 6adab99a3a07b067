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

async function measure(run: (i: number) => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  const warmUp = Math.min(2000, count);
  for (let i = 0; i < warmUp; i++) await run(i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = warmUp; i < warmUp + count; i++) await run(i);
  const wallMs = (performance.now() - started) / count;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / count, wallMs };
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
