import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { readConfig } from './config';
import { recordTiming, type SpanAttrs, startSpan } from './trace';

export interface DynamoSettings {
  /** Set for DynamoDB Local or LocalStack; unset on AWS. */
  endpoint?: string | undefined;
  region: string;
}

/** Read by every function that uses DynamoDB. */
export const dynamoEnvSchema = z.object({
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-3'),
});

export function readDynamoSettings(env: Record<string, string | undefined> = process.env): DynamoSettings {
  const parsed = readConfig(dynamoEnvSchema, env);
  return { endpoint: parsed.DYNAMODB_ENDPOINT, region: parsed.AWS_REGION };
}

/** The SDK's RequestSigner (@smithy/types), as DynamoDBClientConfig names it. */
type RequestSigner = Extract<NonNullable<DynamoDBClientConfig['signer']>, { sign: unknown }>;

/**
 * The request signer for a local endpoint: DynamoDB Local reads the access key and region from the
 * Authorization header (they name its database file without -sharedDb) but checks no signature, so
 * a fixed header replaces SigV4's hashing and HMACs on every call. Never used without an endpoint:
 * on AWS the SDK's own SigV4 signer signs every request (lib/dynamo.test.ts).
 */
function localEndpointSigner(region: string): RequestSigner {
  const authorization = `AWS4-HMAC-SHA256 Credential=local/20000101/${region}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`;
  return {
    sign: async (request) => {
      request.headers.authorization = authorization;
      return request;
    },
  };
}

export function createDynamoClient(settings: DynamoSettings): DynamoDBClient {
  const client = new DynamoDBClient({
    region: settings.region,
    maxAttempts: 3,
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          // A local server accepts any credentials but the SDK insists on some.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          signer: localEndpointSigner(settings.region),
        }
      : {}),
  });
  // Every call, retries included: one `dynamodb` span, and its time added to the invocation's Server-Timing `db`.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const end = startSpan('dynamodb');
      try {
        const result = await next(args);
        end?.(callAttrs(context.commandName, args.input, result.output));
        return result;
      } catch (error) {
        end?.(callAttrs(context.commandName, args.input, error), (error as Error | undefined)?.name ?? 'Error');
        throw error;
      } finally {
        recordTiming('db', performance.now() - started);
      }
    },
    { step: 'initialize', name: 'tracingMiddleware' },
  );
  return client;
}

/** The parts of a DynamoDB input that name tables: the table, a transaction's items, a batch's tables. */
interface TableInput {
  TableName?: string;
  TransactItems?: Array<Record<string, { TableName?: string } | undefined>>;
  RequestItems?: Record<string, unknown>;
}

/** `{ operation: 'PutItem', table: 'orders', attempts: 1 }`; `answer` is the output or the error, both carry the SDK's `$metadata`. */
function callAttrs(commandName: string | undefined, input: unknown, answer: unknown): SpanAttrs {
  const attrs: SpanAttrs = { operation: commandName?.replace(/Command$/, '') ?? 'unknown' };
  const table = tablesOf(input as TableInput | undefined);
  if (table) attrs.table = table;
  const attempts = (answer as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts;
  if (typeof attempts === 'number') attrs.attempts = attempts;
  return attrs;
}

function tablesOf(input: TableInput | undefined): string | undefined {
  if (input?.TableName) return input.TableName;
  if (input?.RequestItems) return Object.keys(input.RequestItems).join(',');
  if (!input?.TransactItems) return undefined;
  const names = new Set<string>();
  for (const item of input.TransactItems) {
    for (const action of Object.values(item)) if (action?.TableName) names.add(action.TableName);
  }
  return [...names].join(',');
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

let shared: { client: DynamoDBClient; document: DynamoDBDocumentClient } | undefined;

/** The container's clients, created on first use and reused by every invocation. */
export function sharedDynamo(): { client: DynamoDBClient; document: DynamoDBDocumentClient } {
  if (!shared) {
    const client = createDynamoClient(readDynamoSettings());
    shared = { client, document: createDocumentClient(client) };
  }
  return shared;
}
