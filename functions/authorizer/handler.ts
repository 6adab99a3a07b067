import { logger } from '../../lib/logger';
import { sharedTokenService } from '../auth/tokens';
import { createAuthorizer } from './authorizer';

export const handler = createAuthorizer(sharedTokenService(), logger);
