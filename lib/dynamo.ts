import awsLite from '@aws-lite/client';
import dynamodbPlugin from '@aws-lite/dynamodb';
import * as z from 'zod/mini';
import { readConfig } from './config';
import { NETWORK_ERROR_CODES } from './errors';
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

/** An item as the repositories read and write it: plain values, (un)marshalled by the client. */
export type Item = Record<string, unknown>;

interface Expression {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}
export interface GetInput {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
}
export interface PutInput extends Expression {
  TableName: string;
  Item: Item;
}
export interface UpdateInput extends Expression {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
  ReturnValues?: 'NONE' | 'ALL_NEW' | 'ALL_OLD' | 'UPDATED_NEW' | 'UPDATED_OLD';
}
export interface DeleteInput extends Expression {
  TableName: string;
  Key: Item;
}
export interface QueryInput {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ScanIndexForward?: boolean;
  Limit?: number;
  /** The key to start after; every key attribute of the project's tables is a string. */
  ExclusiveStartKey?: Record<string, string>;
}
export type TransactItem =
  | { Put: PutInput }
  | { Update: UpdateInput }
  | { Delete: DeleteInput }
  | { ConditionCheck: Expression & { TableName: string; Key: Item; ConditionExpression: string } };

/**
 * The DynamoDB calls the repositories make, named as in the DynamoDB API. Items, keys and
 * expression values are plain values both ways. Errors keep DynamoDB's exception name as `name`
 * (`ConditionalCheckFailedException`, `TransactionCanceledException` with its `CancellationReasons`),
 * and a connection failure carries its errno `code` (`ECONNREFUSED`, …).
 */
export interface Dynamo {
  GetItem(input: GetInput): Promise<{ Item?: Item }>;
  PutItem(input: PutInput): Promise<unknown>;
  UpdateItem(input: UpdateInput): Promise<{ Attributes?: Item }>;
  DeleteItem(input: DeleteInput): Promise<unknown>;
  Query(input: QueryInput): Promise<{ Items: Item[]; LastEvaluatedKey?: Record<string, string> }>;
  TransactWriteItems(input: { TransactItems: TransactItem[] }): Promise<unknown>;
}
type Operation = keyof Dynamo;
type LiteDynamo = Record<Operation, (input: unknown) => Promise<Record<string, unknown> | undefined>>;

/** True when `error` is DynamoDB's exception `name` (a failed condition, a cancelled transaction, …). */
export function isDynamoError(error: unknown, name: string): error is Error & { CancellationReasons?: Array<{ Code?: string }> } {
  return error instanceof Error && error.name === name;
}

/**
 * A DynamoDB client on aws-lite (`@aws-lite/client` and its DynamoDB plugin): the AWS SDK v3 takes
 * several times longer to load, which is most of a cold start (BENCHMARKS.md), and more CPU per call.
 * On AWS the client signs with SigV4 from the Lambda's credentials (the environment); with an
 * endpoint (DynamoDB Local) it signs with a fixed local key, which DynamoDB Local accepts. Up to
 * 3 attempts per call, retrying throttling, 5xx and connection errors with jittered backoff.
 * The aws-lite client is created on the first call and reused by every later one.
 */
export function createDynamo(settings: DynamoSettings): Dynamo {
  // `awsjsonMarshall` is read by aws-lite but missing from its types: optional attributes left undefined are not written.
  const config: Parameters<typeof awsLite>[0] & { awsjsonMarshall: { removeUndefinedValues: boolean } } = {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, accessKeyId: 'local', secretAccessKey: 'local' } : {}),
    plugins: [dynamodbPlugin],
    retries: 2,
    keepAlive: true,
    awsjsonMarshall: { removeUndefinedValues: true },
  };
  let client: Promise<LiteDynamo> | undefined;
  const connect = () => {
    // A copy: aws-lite writes into the config it is given.
    client ??= awsLite({ ...config }).then(
      (lite) => (lite as unknown as { DynamoDB: LiteDynamo }).DynamoDB,
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };

  // Every call, retries included: one `dynamodb` span, and its time added to the invocation's Server-Timing `db`.
  const call =
    <O>(operation: Operation, after: (output: Record<string, unknown>) => O) =>
    async (input: unknown): Promise<O> => {
      const started = performance.now();
      const end = startSpan('dynamodb');
      const attrs: SpanAttrs = { operation };
      const table = tablesOf(input as TableInput);
      if (table) attrs.table = table;
      try {
        const output = await (await connect())[operation](input);
        end?.(attrs);
        return after(output ?? {});
      } catch (error) {
        const failure = withErrnoCode(error);
        end?.(attrs, failure.name);
        throw failure;
      } finally {
        recordTiming('db', performance.now() - started);
      }
    };
  const same = (output: Record<string, unknown>) => output;
  const query = call('Query', (output) => ({
    Items: (output.Items as Item[] | undefined) ?? [],
    LastEvaluatedKey: output.LastEvaluatedKey ? plainKey(output.LastEvaluatedKey as Record<string, { S: string }>) : undefined,
  }));
  return {
    GetItem: call('GetItem', same),
    PutItem: call('PutItem', same),
    UpdateItem: call('UpdateItem', same),
    DeleteItem: call('DeleteItem', same),
    // aws-lite (un)marshals items, keys and values, but not a query's start key: that one goes as DynamoDB JSON.
    Query: (input) => query(input.ExclusiveStartKey ? { ...input, ExclusiveStartKey: dynamoKey(input.ExclusiveStartKey) } : input),
    TransactWriteItems: call('TransactWriteItems', same),
  };
}

function dynamoKey(key: Record<string, string>): Record<string, { S: string }> {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, { S: value }]));
}

function plainKey(key: Record<string, { S: string }>): Record<string, string> {
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, value.S]));
}

/**
 * aws-lite reports a connection failure as a plain Error whose message names the errno (or, for a
 * connection closed mid-answer, Node's "socket hang up"): give it back as `code`.
 */
function withErrnoCode(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  if ((failure as { code?: unknown }).code !== undefined) return failure;
  const code = [...NETWORK_ERROR_CODES].find((errno) => failure.message.includes(errno)) ?? (failure.message.includes('socket hang up') ? 'ECONNRESET' : undefined);
  if (code) (failure as Error & { code?: string }).code = code;
  return failure;
}

/** The parts of a DynamoDB input that name tables: the table, or a transaction's items. */
interface TableInput {
  TableName?: string;
  TransactItems?: Array<Record<string, { TableName?: string } | undefined>>;
}

function tablesOf(input: TableInput | undefined): string | undefined {
  if (input?.TableName) return input.TableName;
  if (!input?.TransactItems) return undefined;
  const names = new Set<string>();
  for (const item of input.TransactItems) {
    for (const action of Object.values(item)) if (action?.TableName) names.add(action.TableName);
  }
  return [...names].join(',');
}

let shared: Dynamo | undefined;

/** The container's client, created on first use and reused by every invocation. */
export function sharedDynamo(): Dynamo {
  shared ??= createDynamo(readDynamoSettings());
  return shared;
}
