import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import bankOpenApiYaml from '../../bank/openapi.yaml';
import { MAX_BODY_BYTES } from '../../lib/http';
import openApiYaml from '../../openapi.yaml';
import type { ApiResponse } from './env';

/**
 * The contracts, made checkable: openapi.yaml for the shop's API and bank/openapi.yaml for the
 * bank's (a service of its own). For each: find the operation a request hits, validate a request
 * body against its schema, and a real response against the documented statuses, headers and
 * body schemas. Validation is Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1), which the
 * repository already has through the Serverless Framework. The plain exports check the shop;
 * `bankContract` checks calls to the bank.
 */

export type JsonSchema = Record<string, any>;

interface MediaType {
  schema: JsonSchema;
}
interface Header {
  required?: boolean;
  schema: JsonSchema;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}
export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path';
  required?: boolean;
  schema: JsonSchema;
}
export interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  'x-local-only'?: boolean;
}
export interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, any>>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface OperationRef {
  method: string;
  /** As written in the document, e.g. `/bank/payments/{order_id}`. */
  path: string;
  operation: Operation;
}

/** The document's body limit (16 KB of UTF-8), above which every JSON route answers 413. */
const MAX_NESTING = 32;

export interface SentRequest {
  contentType?: string | undefined;
  /** The body as sent (a string: what the server receives, byte for byte). */
  text?: string | undefined;
  /** Header values as the server receives them (HTTP trims surrounding whitespace). */
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
}

// One Ajv for both documents: each is registered under its own id, so that its `#/components/...` resolve.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
// A limit counted in bytes of UTF-8, which JSON Schema cannot say (see the document's description).
ajv.addKeyword({
  keyword: 'x-utf8-bytes',
  type: 'string',
  schemaType: 'object',
  validate: (limits: { min?: number; max?: number }, value: string) => {
    const bytes = Buffer.byteLength(value, 'utf8');
    return (limits.min === undefined || bytes >= limits.min) && (limits.max === undefined || bytes <= limits.max);
  },
});
ajv.addKeyword('components');

const templateRegex = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
const pointerPart = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

function schemaProblems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/** The checks of one document; `file` names it in messages (e.g. `bank/openapi.yaml`). */
export function createContract(document: OpenApi, file: string) {
  const schemaId = `${file.replace(/[^A-Za-z0-9]+/g, '-')}.json`;
  ajv.addSchema({ $id: schemaId, components: document.components });
  const compiled = new Map<string, ValidateFunction>();

  /** Every operation of the document, `METHOD /path` order as written. */
  function operations(): OperationRef[] {
    return Object.entries(document.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method]).map((method) => ({ method: method.toUpperCase(), path, operation: item[method]! })),
    );
  }

  /** The operation a concrete request path hits (`/bank/payments/abc` → `/bank/payments/{order_id}`). */
  function findOperation(method: string, concretePath: string): OperationRef | undefined {
    const pathOnly = concretePath.split('?')[0] ?? concretePath;
    return operations().find((candidate) => candidate.method === method.toUpperCase() && templateRegex(candidate.path).test(pathOnly));
  }

  /** `$ref`s replaced by their targets (the document has no cycles), for generators that walk a schema. */
  function resolveRefs(schema: unknown): any {
    if (Array.isArray(schema)) return schema.map(resolveRefs);
    if (schema === null || typeof schema !== 'object') return schema;
    const record = schema as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const target = record.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<any>((node, part) => node?.[part], document);
      if (target === undefined) throw new Error(`unresolved $ref ${record.$ref} in ${file}`);
      return resolveRefs(target);
    }
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, resolveRefs(value)]));
  }

  /** The validator of `#/components/schemas/<name>`, compiled in strict mode (throws on an unknown keyword). */
  function componentValidator(name: string): ValidateFunction {
    const validate = ajv.getSchema(`${schemaId}#/components/schemas/${name}`);
    if (!validate) throw new Error(`no schema ${name} in ${file}`);
    return validate;
  }

  /** A validator for a schema of the document, found by its JSON pointer (e.g. `/paths/~1api~1orders/...`). */
  function validatorAt(pointer: string, schema: JsonSchema): ValidateFunction {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile(rebased(schema));
      compiled.set(pointer, validate);
    }
    return validate;
  }

  /** Local `#/components/...` references rewritten to the registered document. */
  function rebased(schema: JsonSchema): JsonSchema {
    return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${schemaId}#/`));
  }

  /** Problems with a request body for `ref`, per its schema; [] when the schema accepts it. */
  function requestBodyProblems(ref: OperationRef, body: unknown): string[] {
    const schema = ref.operation.requestBody?.content['application/json']?.schema;
    if (!schema) return [];
    return schemaProblems(validatorAt(`/paths/${pointerPart(ref.path)}/${ref.method.toLowerCase()}/requestBody`, schema), body);
  }

  /** Problems with a parameter's value; [] when its schema accepts it. */
  function parameterProblems(ref: OperationRef, name: string, value: unknown): string[] {
    const parameter = ref.operation.parameters?.map(resolveRefs).find((candidate: Parameter) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!parameter) return [`no parameter ${name}`];
    return schemaProblems(validatorAt(`/paths/${pointerPart(ref.path)}/${ref.method.toLowerCase()}/parameters/${name}`, parameter.schema), value);
  }

  /**
   * What is wrong with `response` for a request `method path` — an undocumented status, a
   * missing required header, a body that breaks the documented schema. [] when it conforms.
   */
  function responseProblems(method: string, concretePath: string, response: ApiResponse): string[] {
    const ref = findOperation(method, concretePath);
    if (!ref) return [`${method} ${concretePath} is not in ${file}`];
    const status = String(response.status);
    const documented = ref.operation.responses[status] && resolveRefs(ref.operation.responses[status]);
    if (!documented) return [`${method} ${ref.path}: status ${status} is not documented (documented: ${Object.keys(ref.operation.responses).join(', ')})`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries<Header>(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`header ${name} is missing`);
        continue;
      }
      const pointer = `/paths/${pointerPart(ref.path)}/${ref.method.toLowerCase()}/responses/${status}/headers/${name}`;
      problems.push(...schemaProblems(validatorAt(pointer, header.schema), value).map((problem) => `header ${name}: ${problem}`));
    }
    const media = documented.content?.['application/json'];
    if (media) {
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.startsWith('application/json')) problems.push(`content-type ${contentType}`);
      const pointer = `/paths/${pointerPart(ref.path)}/${ref.method.toLowerCase()}/responses/${status}`;
      problems.push(...schemaProblems(validatorAt(pointer, ref.operation.responses[status]!.content?.['application/json']?.schema ?? media.schema), response.body));
    }
    return problems.map((problem) => `${method} ${ref.path} → ${status}: ${problem}`);
  }

  /** Throws, with every problem and the body, unless `response` conforms to the contract. */
  function expectConforms(method: string, concretePath: string, response: ApiResponse): void {
    const problems = responseProblems(method, concretePath, response);
    if (problems.length > 0) {
      throw new Error(`response breaks ${file}:\n  ${problems.join('\n  ')}\n  body: ${JSON.stringify(response.body)?.slice(0, 500)}`);
    }
  }

  /**
   * The refusal the document's rules require for `request` — 415, 413 or 400 — or undefined
   * when nothing in the document refuses it (any documented answer may then follow). This is
   * the test oracle: it reads only the document and the rules its description states.
   */
  function requiredRefusal(ref: OperationRef, request: SentRequest): number | undefined {
    if (ref.operation.requestBody) {
      // serverless-offline fills in a missing Content-Type as application/json (the document says so).
      const mediaType = (request.contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
      if (mediaType !== 'application/json') return 415;
      const text = request.text ?? '';
      if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) return 413;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return 400;
      }
      if (!safeText(body, 0)) return 400;
      if (requestBodyProblems(ref, body).length > 0) return 400;
    }
    for (const parameter of (ref.operation.parameters ?? []).map(resolveRefs) as Parameter[]) {
      const value =
        parameter.in === 'header'
          ? lowerCased(request.headers)[parameter.name.toLowerCase()]
          : parameter.in === 'path'
            ? request.pathParameters?.[parameter.name]
            : undefined;
      if (value !== undefined && parameterProblems(ref, parameter.name, value).length > 0) return 400;
    }
    return undefined;
  }

  return {
    file,
    openApi: document,
    operations,
    findOperation,
    resolveRefs,
    componentValidator,
    requestBodyProblems,
    parameterProblems,
    responseProblems,
    expectConforms,
    requiredRefusal,
  };
}

export type Contract = ReturnType<typeof createContract>;

/** The shop's API (openapi.yaml, served at /api/openapi.json). */
export const shopContract = createContract(openApiYaml as OpenApi, 'openapi.yaml');
/** The bank's own API (bank/openapi.yaml): calls made to `testStack().bankUrl`. */
export const bankContract = createContract(bankOpenApiYaml as OpenApi, 'bank/openapi.yaml');

// The shop's contract, as plain functions (most tests check the shop).
export const {
  openApi,

  findOperation,

  expectConforms,
} = shopContract;

/** No NUL, no unpaired surrogate, in any key or string; nothing nested deeper than 32 levels. */
function safeText(value: unknown, level: number): boolean {
  if (level > MAX_NESTING) return false;
  if (typeof value === 'string') return value.isWellFormed() && !value.includes('\u0000');
  if (Array.isArray(value)) return value.every((item) => safeText(item, level + 1));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, item]) => safeText(key, level + 1) && safeText(item, level + 1));
  }
  return true;
}

const lowerCased = (record: Record<string, string> = {}) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));

/**
 * serverless-offline's own refusals (unknown route, unparsable request) come from the
 * gateway, not from a function: `{statusCode, error, message}`. AWS API Gateway answers
 * those in its own way; the document describes the functions' answers.
 */
export const isGatewayAnswer = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as Record<string, unknown>).statusCode === 'number' &&
  typeof (body as Record<string, unknown>).error === 'string';
