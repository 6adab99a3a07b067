import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { readConfig } from './config';
import { recordTiming } from './trace';

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
  // Every call's time, retries included, adds up in the invocation's Server-Timing as `db`.
  client.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        recordTiming('db', performance.now() - started);
      }
    },
    { step: 'initialize', name: 'serverTimingMiddleware' },
  );
  return client;
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
