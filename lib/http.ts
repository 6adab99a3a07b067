import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { fr } from 'zod/locales';
import * as z from 'zod/mini';
import { HttpError, isStorageUnavailable, RequestError } from './errors';
import { logger } from './logger';
import { type Invocation, lambdaXRayHeader, readTracing, runInvocation, serverTiming, spansOf, startInvocation, withSpan } from './trace';
import { formatTraceparent } from './trace-context';

// Validation messages in French, like the rest of the API's messages.
z.config(fr());

/** API Gateway accepts 10 MB; nothing in this API needs more than a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpRequest<Body> {
  body: Body;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  pathParameters: Readonly<Record<string, string>>;
  /** Values the token authorizer placed in the request context (strings only). */
  authorizer: Readonly<Record<string, string>>;
  requestId: string;
  /** When API Gateway received the request (epoch ms), if it said. */
  receivedAtMs: number | undefined;
}

export interface HttpResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  handle(event: APIGatewayProxyEvent, requestId: string): Promise<HttpResponse>;
}

/** A route with a JSON body checked by `schema` before `handle` sees it. */
export function jsonRoute<S extends z.ZodMiniType>(schema: S, handle: (request: HttpRequest<z.output<S>>) => Promise<HttpResponse>): Route {
  return {
    handle: (event, requestId) => {
      const body = withSpan('validate', undefined, () => {
        const parsed = schema.safeParse(parseJsonBody(event));
        if (!parsed.success) throw validationError(parsed.error);
        return parsed.data;
      });
      return handle(toRequest(event, requestId, body));
    },
  };
}

/** A route without a body (GET, or POST whose body is ignored). */
export function plainRoute(handle: (request: HttpRequest<undefined>) => Promise<HttpResponse>): Route {
  return { handle: (event, requestId) => handle(toRequest(event, requestId, undefined)) };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, body, headers };
}

export interface HttpHandlerOptions {
  /** The function's name on its request lines (`orders`, `bank`, …). */
  functionName: string;
  /** The site origin allowed to call the API from a browser; unset → no CORS header. */
  corsOrigin?: string | undefined;
  /**
   * Runs once the route is known, before parsing and validation (e.g. a credential check): a request it
   * throws for is answered with that error and reaches no route.
   */
  guard?: (headers: Readonly<Record<string, string>>, requestId: string) => Promise<void>;
  /** Spans, Server-Timing and trace headers; read from `TRACING` unless given. */
  tracing?: boolean;
}

/**
 * The one place that turns API Gateway events into route calls and results into
 * responses: routing by `METHOD /resource`, body limits, JSON parsing, validation,
 * error → status mapping, CORS headers, the trace context (docs/tracing.md) and one log
 * line per request.
 */
export function createHttpHandler(routes: Record<string, Route>, options: HttpHandlerOptions) {
  const tracing = options.tracing ?? readTracing();
  const baseHeaders: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(options.corsOrigin
      ? {
          'Access-Control-Allow-Origin': options.corsOrigin,
          'Access-Control-Expose-Headers': 'Retry-After, traceresponse, Server-Timing',
          // Lets the site read the Server-Timing entries through the Resource Timing API.
          'Timing-Allow-Origin': options.corsOrigin,
          Vary: 'Origin',
        }
      : {}),
  };

  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    const headers = lowerCaseKeys(event.headers);
    const invocation = startInvocation({ traceparent: headers.traceparent, xrayHeader: lambdaXRayHeader(), tracing });
    return runInvocation(invocation, async () => {
      const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
      const routeKey = `${event.httpMethod} ${event.resource}`;
      let response: HttpResponse;
      try {
        const route = routes[routeKey];
        if (!route) throw new RequestError('NOT_FOUND', 'Route inconnue.');
        if (options.guard) await options.guard(headers, requestId);
        response = await route.handle(event, requestId);
      } catch (error) {
        response = errorResponse(error, { requestId, route: routeKey });
      }
      const durationMs = Math.round((performance.now() - invocation.startedMs) * 10) / 10;
      logger.info('request', {
        function: options.functionName,
        requestId,
        route: routeKey,
        status: response.statusCode,
        durationMs,
        startedAt: invocation.startedAt,
        ...traceKeys(invocation),
      });
      return {
        statusCode: response.statusCode,
        headers: {
          ...baseHeaders,
          ...(tracing
            ? {
                // W3C Trace Context Level 2: the trace and span this answer belongs to (the trace may be one we started).
                traceresponse: formatTraceparent(invocation.trace),
                'Server-Timing': serverTiming(invocation, durationMs),
              }
            : {}),
          ...response.headers,
        },
        body: response.body === undefined ? '' : JSON.stringify(response.body),
      };
    });
  };
}

/**
 * The request line's links to other spans and its own spans; `traceId` and `spanId` come with every
 * line (lib/logger.ts).
 */
function traceKeys(invocation: Invocation): Record<string, unknown> {
  return {
    ...(invocation.parentSpanId ? { parentSpanId: invocation.parentSpanId } : {}),
    ...(invocation.linkedTraceId ? { linkedTraceId: invocation.linkedTraceId } : {}),
    ...invocation.requestKeys,
    ...(invocation.tracing ? { spans: spansOf(invocation) } : {}),
    ...(invocation.droppedSpans > 0 ? { droppedSpans: invocation.droppedSpans } : {}),
  };
}

function errorResponse(error: unknown, keys: { requestId: string; route: string }): HttpResponse {
  if (error instanceof HttpError) {
    return json(error.statusCode, { message: error.message, code: error.code, ...error.fields }, error.headers);
  }
  if (isStorageUnavailable(error)) {
    logger.warn('storage unavailable', { ...keys, error: describe(error) });
    return json(
      503,
      {
        message: 'Base de données indisponible, veuillez réessayer plus tard.',
        code: 'STORAGE_UNAVAILABLE',
      },
      { 'Retry-After': '1' },
    );
  }
  logger.error('unhandled error', { ...keys, error: describe(error) });
  return json(500, { message: 'Erreur interne.', code: 'INTERNAL' });
}

function describe(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}

function lowerCaseKeys(record: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) out[key.toLowerCase()] = value;
  return out;
}

function definedValues(record: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(record ?? {})) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function toRequest<B>(event: APIGatewayProxyEvent, requestId: string, body: B): HttpRequest<B> {
  return {
    body,
    headers: lowerCaseKeys(event.headers),
    query: definedValues(event.queryStringParameters),
    pathParameters: definedValues(event.pathParameters),
    authorizer: definedValues(event.requestContext?.authorizer as Record<string, unknown> | null | undefined),
    requestId,
    receivedAtMs: typeof event.requestContext?.requestTimeEpoch === 'number' ? event.requestContext.requestTimeEpoch : undefined,
  };
}

function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  const contentType = lowerCaseKeys(event.headers)['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new RequestError('UNSUPPORTED_MEDIA_TYPE', 'Le corps doit être du JSON (Content-Type: application/json).');
  }
  // serverless-offline hands a falsy JSON body (`false`, `0`) over already parsed, not as text.
  const raw: unknown = event.body;
  const body = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : JSON.stringify(raw);
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new RequestError('PAYLOAD_TOO_LARGE', `Corps trop volumineux (maximum ${MAX_BODY_BYTES} octets).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError('INVALID_JSON', 'Corps JSON invalide.');
  }
  if (!hasOnlySafeText(value)) {
    throw new RequestError('INVALID_CHARACTERS', 'Le corps contient des caractères interdits (NUL ou surrogate isolé).');
  }
  return value;
}

/** Rejects NUL bytes and unpaired UTF-16 surrogates anywhere in keys or string values. */
function hasOnlySafeText(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return value.isWellFormed() && !value.includes('\u0000');
  if (Array.isArray(value)) return value.every((item) => hasOnlySafeText(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, item]) => hasOnlySafeText(key, depth + 1) && hasOnlySafeText(item, depth + 1));
  }
  return true;
}

function validationError(error: z.core.$ZodError): RequestError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = details[0];
  const message = !first ? 'Requête invalide.' : first.path ? `${first.path} : ${first.message}` : first.message;
  return new RequestError('VALIDATION_FAILED', message, { details });
}
