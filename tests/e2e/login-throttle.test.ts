import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { api, testStack, uniqueName } from '../support/env';

/**
 * The login throttle lives in DynamoDB, not in a function's memory: two more instances of the
 * auth function (the handler module loaded twice, each with its own module scope, clients and
 * state) share it with the running API. Guesses spread over the three instances lock the name
 * just as guesses sent to one would.
 */
type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
const { env, dynamoEndpoint, stage, table } = testStack();
const MAX_FAILURES = 5;
const PASSWORD = 'the right password';

const savedEnv = { ...process.env };
let instances: Handler[];

function loadAuthInstance(): Handler {
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../functions/auth/handler') as { handler: Handler }).handler;
  });
  return handler!;
}

beforeAll(() => {
  Object.assign(process.env, {
    STAGE: stage,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    JWT_SECRET: env.JWT_SECRET,
    USERS_TABLE: table('users'),
    REFRESH_TOKENS_TABLE: table('refresh-tokens'),
    LOGIN_ATTEMPTS_TABLE: table('login-attempts'),
    LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    // Long enough that no lock ends during the test, whichever instance sets it.
    LOGIN_LOCK_SECONDS: '60',
    DEMO_ACCOUNT: 'false',
  });
  instances = [loadAuthInstance(), loadAuthInstance()];
});
afterAll(() => {
  process.env = savedEnv;
});

/** A login through instance 0 or 1 (in this process), or 2: the API over HTTP. */
async function login(instance: number, username: string, password: string): Promise<number> {
  if (instance === 2) return (await api('POST', '/auth/login', { username, password })).status;
  const event = {
    httpMethod: 'POST',
    resource: '/auth/login',
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    isBase64Encoded: false,
    requestContext: { requestId: uniqueName('req') },
  } as unknown as APIGatewayProxyEvent;
  return (await instances[instance]!(event)).statusCode;
}

async function registered(): Promise<string> {
  const username = uniqueName('throttle');
  expect((await api('POST', '/auth/register', { username, password: PASSWORD })).status).toBe(201);
  return username;
}

describe('the login throttle across function instances', () => {
  it('the two loaded instances are separate (own module scope) and both reach the shared tables', async () => {
    expect(instances[0]).not.toBe(instances[1]);
    const username = await registered();
    expect(await login(0, username, PASSWORD)).toBe(200);
    expect(await login(1, username, PASSWORD)).toBe(200);
  });

  it(`${MAX_FAILURES} failures spread over three instances lock the name on every instance`, async () => {
    // Prepare
    const username = await registered();

    // Act: wrong guesses round-robin over the instances.
    const guesses: number[] = [];
    for (let i = 0; i < MAX_FAILURES; i++) guesses.push(await login(i % 3, username, `wrong guess ${i}`));

    // Assess: the right password is refused everywhere while locked.
    expect(guesses).toEqual(Array(MAX_FAILURES).fill(401));
    expect([await login(0, username, PASSWORD), await login(1, username, PASSWORD), await login(2, username, PASSWORD)]).toEqual([429, 429, 429]);
  });

  it('a burst of concurrent guesses over the instances gets at most the allowed number evaluated', async () => {
    // Prepare
    const username = await registered();

    // Act: 24 guesses at once, spread over the three instances.
    const statuses = await Promise.all(Array.from({ length: 24 }, (_, i) => login(i % 3, username, `burst guess ${i}`)));

    // Assess: a 401 means the password was checked; every other guess was refused unread.
    const evaluated = statuses.filter((status) => status === 401).length;
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(evaluated).toBeLessThanOrEqual(MAX_FAILURES);
    expect(await login(2, username, PASSWORD)).toBe(429);
  });
});
