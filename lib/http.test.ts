import { describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { HttpError } from './errors';
import { createHttpHandler, json, jsonRoute, MAX_BODY_BYTES, plainRoute } from './http';
import { logger } from './logger';

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    resource: '/things',
    path: '/things',
    headers: { 'Content-Type': 'application/json' },
    body: '{"name":"x"}',
    isBase64Encoded: false,
    queryStringParameters: null,
    pathParameters: null,
    requestContext: { requestId: 'req-1' } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  } as APIGatewayProxyEvent;
}

const seen: unknown[] = [];
const handler = createHttpHandler(
  {
    'POST /things': jsonRoute(z.strictObject({ name: z.string() }), async ({ body }) => {
      seen.push(body);
      return json(201, { created: body.name });
    }),
    'GET /boom': plainRoute(async () => {
      throw new Error('secret internals');
    }),
    'GET /teapot': plainRoute(async () => {
      throw new HttpError(418, 'TEAPOT', 'Je suis une théière.', { extra: 1 }, { 'Retry-After': '5' });
    }),
    'GET /db-down': plainRoute(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    }),
  },
  { functionName: 'things', corsOrigin: 'http://localhost:5000' },
);

const call = async (e: APIGatewayProxyEvent) => {
  const result = await handler(e);
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined, headers: result.headers ?? {} };
};

describe('createHttpHandler', () => {
  it('parses, validates and answers JSON with CORS for the site origin only', async () => {
    const result = await call(event());
    expect(result).toMatchObject({ status: 201, body: { created: 'x' } });
    expect(result.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(result.headers['Access-Control-Allow-Origin']).toBe('http://localhost:5000');
  });

  const rejected: Array<[string, Partial<APIGatewayProxyEvent>, number, string]> = [
    ['malformed JSON', { body: '{"name":' }, 400, 'INVALID_JSON'],
    ['an empty body', { body: null }, 400, 'INVALID_JSON'],
    ['a text/plain body', { headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', { headers: {} }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 16 KB', { body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['a NUL byte', { body: '{"name":"a\\u0000b"}' }, 400, 'INVALID_CHARACTERS'],
    ['an unpaired surrogate', { body: '{"name":"\\ud800"}' }, 400, 'INVALID_CHARACTERS'],
    ['a __proto__ key', { body: '{"name":"x","__proto__":{"admin":true}}' }, 400, 'VALIDATION_FAILED'],
    ['a constructor key', { body: '{"name":"x","constructor":{"prototype":{}}}' }, 400, 'VALIDATION_FAILED'],
    ['an extra field', { body: '{"name":"x","role":"admin"}' }, 400, 'VALIDATION_FAILED'],
    ['a wrongly typed field', { body: '{"name":42}' }, 400, 'VALIDATION_FAILED'],
    ['a missing field', { body: '{}' }, 400, 'VALIDATION_FAILED'],
    ['an array body', { body: '[]' }, 400, 'VALIDATION_FAILED'],
    ['a route that does not exist', { resource: '/nowhere' }, 404, 'NOT_FOUND'],
  ];

  it.each(rejected)('rejects %s with a clear 4xx and never calls the route', async (_name, overrides, status, code) => {
    seen.length = 0;
    const result = await call(event(overrides));
    expect(result.status).toBe(status);
    expect(result.body.code).toBe(code);
    expect(typeof result.body.message).toBe('string');
    expect(result.body.message.length).toBeGreaterThan(0);
    expect(seen).toHaveLength(0);
  });

  it('names the field in validation messages, in French', async () => {
    const result = await call(event({ body: '{"name":42}' }));
    expect(result.body.message).toMatch(/^name : .*chaîne/);
    expect(result.body.details).toEqual([expect.objectContaining({ path: 'name' })]);
  });

  it('maps an HttpError to its status, code, fields and headers', async () => {
    const result = await call(event({ httpMethod: 'GET', resource: '/teapot' }));
    expect(result).toMatchObject({ status: 418, body: { code: 'TEAPOT', message: 'Je suis une théière.', extra: 1 } });
    expect(result.headers['Retry-After']).toBe('5');
  });

  it('turns an unknown error into a generic 500 that leaks nothing', async () => {
    const result = await call(event({ httpMethod: 'GET', resource: '/boom' }));
    expect(result.status).toBe(500);
    expect(result.body).toEqual({ message: 'Erreur interne.', code: 'INTERNAL' });
  });

  it('answers 503 when the database cannot be reached', async () => {
    const result = await call(event({ httpMethod: 'GET', resource: '/db-down' }));
    expect(result.status).toBe(503);
    expect(result.body.code).toBe('STORAGE_UNAVAILABLE');
  });

  it('logs one line per request without the body', async () => {
    logger.setLogLevel('INFO');
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      await call(event({ body: '{"name":"hunter2-secret"}' }));
    } finally {
      spy.mockRestore();
      logger.setLogLevel('SILENT');
    }
    const lines = writes
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ message: 'request', requestId: 'req-1', route: 'POST /things', status: 201 });
    expect(typeof lines[0].durationMs).toBe('number');
    expect(writes.join('')).not.toContain('hunter2-secret');
  });
});

describe('a body serverless-offline handed over already parsed', () => {
  it.each([false, 0])('treats %j as that JSON text: a 400, never a 500', async (parsed) => {
    const response = await handler(event({ body: parsed as unknown as string }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('the trace context', () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const CALLER = '00f067aa0ba902b7';

  /** Every JSON line the logger writes while `work` runs. */
  async function logged(work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
    const writes: string[] = [];
    logger.setLogLevel('INFO');
    // Powertools writes WARN and ERROR lines to stderr, the others to stdout.
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        writes.push(String(chunk));
        return true;
      }),
    );
    try {
      await work();
    } finally {
      for (const spy of spies) spy.mockRestore();
      logger.setLogLevel('SILENT');
    }
    return writes
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  it('answers the trace it continued in traceresponse, with Server-Timing, and logs the trace id', async () => {
    let result: Awaited<ReturnType<typeof call>> | undefined;
    const lines = await logged(async () => {
      result = await call(event({ headers: { 'Content-Type': 'application/json', TraceParent: `00-${TRACE}-${CALLER}-01` } }));
    });
    const [, traceId, spanId, flags] = String(result?.headers.traceresponse).split('-');
    expect({ traceId, flags }).toEqual({ traceId: TRACE, flags: '01' });
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe(CALLER);
    expect(result?.headers['Server-Timing']).toMatch(/^total;dur=\d+(\.\d)?$/);
    expect(lines).toEqual([expect.objectContaining({ message: 'request', traceId: TRACE, spanId, parentSpanId: CALLER })]);
  });

  it('starts a new trace for a missing or invalid traceparent, and answers it', async () => {
    for (const headers of [{ 'Content-Type': 'application/json' }, { 'Content-Type': 'application/json', traceparent: `00-${'0'.repeat(32)}-${CALLER}-01` }]) {
      const result = await call(event({ headers }));
      expect(result.headers.traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(result.headers.traceresponse).not.toContain('0'.repeat(32));
    }
  });

  it('traces error answers too, and every line of the invocation carries the trace id', async () => {
    let status = 0;
    const lines = await logged(async () => {
      const result = await call(event({ httpMethod: 'GET', resource: '/boom', headers: { traceparent: `00-${TRACE}-${CALLER}-01` } }));
      status = result.status;
      expect(result.headers.traceresponse).toContain(TRACE);
    });
    expect(status).toBe(500);
    expect(lines.map((line) => [line.message, line.traceId])).toEqual([
      ['unhandled error', TRACE],
      ['request', TRACE],
    ]);
  });

  it('logs the function, when it started, and its spans: `validate` around parsing, with the refusal’s code', async () => {
    const before = Date.now();
    const lines = await logged(async () => {
      await call(event());
      await call(event({ body: '{"name":42}' }));
    });
    expect(lines).toEqual([
      expect.objectContaining({ message: 'request', function: 'things', status: 201, spans: [{ name: 'validate', start: expect.any(Number), dur: expect.any(Number) }] }),
      expect.objectContaining({
        message: 'request',
        function: 'things',
        status: 400,
        spans: [expect.objectContaining({ name: 'validate', error: 'VALIDATION_FAILED' })],
      }),
    ]);
    for (const line of lines) {
      expect(line.startedAt).toBeGreaterThanOrEqual(before);
      expect(line.startedAt).toBeLessThanOrEqual(Date.now());
    }
  });

  it('with tracing off: no spans on the line, no traceresponse or Server-Timing, still the trace id on the line', async () => {
    // Prepare: the switch is read when the handler is built.
    const saved = process.env.TRACING;
    process.env.TRACING = 'off';
    const untraced = createHttpHandler({ 'POST /things': jsonRoute(z.object({ name: z.string() }), async () => json(201, {})) }, { functionName: 'things' });
    if (saved === undefined) delete process.env.TRACING;
    else process.env.TRACING = saved;
    let headers: Record<string, unknown> = {};
    // Act
    const lines = await logged(async () => {
      headers = (await untraced(event({ headers: { 'content-type': 'application/json', traceparent: `00-${TRACE}-${CALLER}-01` } }))).headers ?? {};
    });
    // Assess
    expect(headers.traceresponse).toBeUndefined();
    expect(headers['Server-Timing']).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ message: 'request', status: 201, traceId: TRACE, function: 'things' })]);
    expect(lines[0]).not.toHaveProperty('spans');
  });

  it('lets the site read the trace header and the timings across origins', async () => {
    const { headers } = await call(event());
    expect(headers['Access-Control-Expose-Headers']).toBe('Retry-After, traceresponse, Server-Timing');
    expect(headers['Timing-Allow-Origin']).toBe('http://localhost:5000');
  });
});
