/**
 * The one error shape the HTTP layer understands. Services subclass it with their own
 * fixed `code` unions and a code → status table; the wrapper in `http.ts` turns it into
 * `{ message, code, ...fields }` with that status. Switch on `code`, never on message text.
 */
export class HttpError<Code extends string = string> extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: Code,
    message: string,
    /** Extra body fields named by the API contract (e.g. `status`, `order_id`). */
    readonly fields: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The base of a service's error class: its fixed code union and its one code → status table.
 * `class AuthError extends httpErrorClass('AuthError', STATUS) {}` — then `new AuthError(code, message)`.
 */
export function httpErrorClass<Code extends string>(name: string, statusByCode: Readonly<Record<Code, number>>) {
  return class extends HttpError<Code> {
    constructor(code: Code, message: string, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
      super(statusByCode[code], code, message, fields, headers);
      this.name = name;
    }
  };
}

export type RequestErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_CHARACTERS'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL';

const REQUEST_ERROR_STATUS: Record<RequestErrorCode, number> = {
  INVALID_JSON: 400,
  INVALID_CHARACTERS: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Errors raised by the HTTP plumbing itself, before a service's code runs. */
export class RequestError extends httpErrorClass('RequestError', REQUEST_ERROR_STATUS) {}

const TRANSIENT_STORAGE_ERRORS = new Set([
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);
/** The errno codes of a connection that failed or was cut: the database could not be reached. */
export const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/** True for an error that means "the database could not be reached", worth a 503 rather than a 500. */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_STORAGE_ERRORS.has(error.name)) return true;
  // An answer of the database's own server errors, whatever it names them (aws-lite keeps the status).
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 500) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  // The SDK wraps socket failures; the cause carries the errno code.
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isStorageUnavailable(cause);
}
