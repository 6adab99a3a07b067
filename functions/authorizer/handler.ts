import { logger } from '../../lib/logger';
import { sharedTokenService, systemClock } from '../auth/tokens';
import { createAuthorizer } from './authorizer';
import { rememberVerifiedTokens } from './verified-tokens';

export const handler = createAuthorizer(rememberVerifiedTokens(sharedTokenService(), { clock: systemClock }), logger);
