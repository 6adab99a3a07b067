// Cost of token verification in one process: auth's `verifyAccessToken` alone, and the whole
// TOKEN authorizer handler (header parsing, verification, policy) as API Gateway calls it.
// Usage: node token-cpu.cjs <result.json> <verifications>
import { writeFileSync } from 'node:fs';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { handler } from '../../../functions/authorizer/handler';
import { createTokenService, readTokenConfig, loadTokenSettings } from '../../../functions/auth/tokens';

const [resultFile = '/dev/stdout', countArg = '20000'] = process.argv.slice(2);
const count = Number(countArg);

async function measure(run: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  for (let i = 0; i < Math.min(2000, count); i++) await run();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await run();
  const wallMs = (performance.now() - started) / count;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / count, wallMs };
}

async function main(): Promise<void> {
  const tokens = createTokenService(await loadTokenSettings(readTokenConfig()));
  const { token } = await tokens.issueAccessToken('bench-user');
  const event: APIGatewayTokenAuthorizerEvent = {
    type: 'TOKEN',
    authorizationToken: `Bearer ${token}`,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/api/orders',
  };
  const verify = await measure(() => tokens.verifyAccessToken(token));
  const authorizer = await measure(() => handler(event));
  const issue = await measure(() => tokens.issueAccessToken('bench-user'));
  writeFileSync(resultFile, JSON.stringify({ count, verify, authorizer, issue }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
