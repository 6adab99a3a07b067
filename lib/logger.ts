import { Logger } from '@aws-lambda-powertools/logger';
import { currentInvocation } from './trace';

/**
 * Every line carries the trace of the invocation that wrote it (`traceId`, `spanId`), taken from
 * the invocation's async context rather than `appendKeys`: concurrent in-process invocations
 * share this logger, and appended keys would leak from one to the other.
 */
class TracingLogger extends Logger {
  protected override createAndPopulateLogItem(...[level, input, extra]: Parameters<Logger['createAndPopulateLogItem']>) {
    const trace = currentInvocation()?.trace;
    if (!trace) return super.createAndPopulateLogItem(level, input, extra);
    const keys = { traceId: trace.traceId, spanId: trace.spanId };
    return super.createAndPopulateLogItem(level, typeof input === 'string' ? { message: input, ...keys } : { ...keys, ...input }, extra);
  }
}

/**
 * One JSON logger per function container. Log lines are a fixed message plus a keys
 * object; never a password, hash or token.
 */
export const logger: Logger = new TracingLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'serverless-shop' });
