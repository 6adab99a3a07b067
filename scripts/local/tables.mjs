// Creates DynamoDB tables from CloudFormation `AWS::DynamoDB::Table` resources, so the
// local database always matches what serverless.yml deploys (one source of truth).
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';

export function localDynamoClient(endpoint) {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The table definitions among CloudFormation resources, as CreateTable inputs. */
export function tableDefinitions(resources) {
  return (
    Object.entries(resources ?? {})
      // A table under a CloudFormation condition is not one every stage has (the retired bank tables).
      .filter(([, resource]) => resource?.Type === 'AWS::DynamoDB::Table' && !resource.Condition)
      .map(([logicalId, { Properties: p }]) => ({
        logicalId,
        ttl: p.TimeToLiveSpecification,
        input: {
          TableName: p.TableName,
          AttributeDefinitions: p.AttributeDefinitions,
          KeySchema: p.KeySchema,
          BillingMode: 'PAY_PER_REQUEST',
          ...(p.GlobalSecondaryIndexes
            ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })) }
            : {}),
          ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
        },
      }))
  );
}

/** Creates each missing table; leaves existing ones (and their data) alone. Returns the names created. */
export async function ensureTables(client, definitions) {
  const created = [];
  for (const { input, ttl } of definitions) {
    try {
      await client.send(new CreateTableCommand(input));
      created.push(input.TableName);
      if (ttl?.Enabled) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: ttl }));
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  for (const { input } of definitions) await waitActive(client, input.TableName);
  return created;
}

async function waitActive(client, TableName) {
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Table ${TableName} did not become ACTIVE`);
}
