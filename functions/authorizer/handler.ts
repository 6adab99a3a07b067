import { systemClock } from '../../lib/clock';
import { sharedDynamo } from '../../lib/dynamo';
import { logger } from '../../lib/logger';
import { createRefreshTokensRepository } from '../auth/refresh-tokens-repository';
import { verifyingSessions } from '../auth/sessions';
import { sharedTokenService } from '../auth/tokens';
import { createAuthorizer } from './authorizer';
import { readAuthorizerConfig } from './config';
import { rememberSessionFamilies, rememberVerifiedTokens } from './verified-tokens';

const config = readAuthorizerConfig();
const families = rememberSessionFamilies(createRefreshTokensRepository(sharedDynamo(), config.refreshTokensTable), {
  ttlMs: config.sessionCheckCacheSeconds * 1000,
  clock: systemClock,
});
const tokens = rememberVerifiedTokens(sharedTokenService(), { clock: systemClock });

export const handler = createAuthorizer(verifyingSessions(tokens, families, systemClock, { consistent: false }), logger, systemClock);
