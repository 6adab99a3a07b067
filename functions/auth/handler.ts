import { systemClock } from '../../lib/clock';
import { sharedDynamo } from '../../lib/dynamo';
import { createHttpHandler, json, jsonRoute } from '../../lib/http';
import { logger } from '../../lib/logger';
import { ensureDemoAccount, login, logout, refresh, register, validate } from './auth-service';
import { type AuthConfig, readAuthConfig } from './config';
import { MESSAGES } from './errors';
import { createLoginAttemptsRepository } from './login-attempts-repository';
import { createPasswordHasher } from './passwords';
import type { AuthDependencies } from './ports';
import { createRefreshTokensRepository } from './refresh-tokens-repository';
import { loginBody, refreshTokenBody, registerBody, validateBody } from './schemas';
import { sharedTokenService } from './tokens';
import { createUsersRepository } from './users-repository';

/** The auth API over any dependencies: the wired `handler` below, or fakes in a test or a benchmark. */
export function createAuthHandler(deps: AuthDependencies, config: Pick<AuthConfig, 'corsOrigin' | 'demoAccount'>) {
  // Local stages only; a failure (database not up yet) is retried on the next request.
  let demoAccountReady: Promise<void> | undefined;
  const prepareDemoAccount = (): Promise<void> =>
    (demoAccountReady ??= ensureDemoAccount(deps).catch((error: unknown) => {
      demoAccountReady = undefined;
      logger.warn('demo account not created yet', { error: String(error) });
    }));

  const routes = createHttpHandler(
    {
      'POST /auth/register': jsonRoute(registerBody, async ({ body }) => {
        await register(deps, body);
        return json(201, { message: MESSAGES.registered, username: body.username });
      }),
      'POST /auth/login': jsonRoute(loginBody, async ({ body }) => json(200, { message: MESSAGES.loggedIn, ...(await login(deps, body)) })),
      'POST /auth/validate': jsonRoute(validateBody, async ({ body }) => {
        const { username, expiresAt } = await validate(deps, body.token);
        return json(200, { message: MESSAGES.tokenValid, user: username, expires_at: expiresAt });
      }),
      'POST /auth/refresh': jsonRoute(refreshTokenBody, async ({ body }) => json(200, { message: MESSAGES.refreshed, ...(await refresh(deps, body.refresh_token)) })),
      'POST /auth/logout': jsonRoute(refreshTokenBody, async ({ body }) => {
        await logout(deps, body.refresh_token);
        return json(200, { message: MESSAGES.loggedOut });
      }),
    },
    { functionName: 'auth', corsOrigin: config.corsOrigin },
  );

  const handler: typeof routes = async (event, context) => {
    // `__LOCAL_STAGE__` is fixed at build time: a deployed bundle has no demo account code at all.
    if (__LOCAL_STAGE__ && config.demoAccount) await prepareDemoAccount();
    return routes(event, context);
  };
  return handler;
}

const config = readAuthConfig();
const db = sharedDynamo();
export const handler = createAuthHandler(
  {
    users: createUsersRepository(db, config.usersTable),
    refreshTokens: createRefreshTokensRepository(db, config.refreshTokensTable),
    loginAttempts: createLoginAttemptsRepository(db, config.loginAttemptsTable),
    passwords: createPasswordHasher(config.bcryptCost),
    tokens: sharedTokenService(),
    clock: systemClock,
    policy: config.policy,
  },
  config,
);
