import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One JSON logger per function container. Log lines are a fixed message plus a keys
 * object; never a password, hash or token.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'serverless-shop' });
