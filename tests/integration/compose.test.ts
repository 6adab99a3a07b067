import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

// No Docker engine runs where these tests run, so the compose file is checked as data.
const compose = parse(readFileSync(path.resolve(__dirname, '../../docker-compose.localstack.yml'), 'utf8'));

describe('docker-compose.localstack.yml', () => {
  it('runs LocalStack with every AWS service the app uses, on 4566, with a pinned image', () => {
    const localstack = compose.services.localstack;
    expect(localstack.image).toMatch(/^localstack\/localstack:\d+\.\d+\.\d+$/);
    expect(localstack.ports).toContain('127.0.0.1:4566:4566');
    const services = String(localstack.environment.SERVICES).split(',');
    for (const needed of ['dynamodb', 'lambda', 'apigateway', 'iam', 'ssm', 'cloudformation', 's3', 'logs']) expect(services).toContain(needed);
  });

  it('offers Amazon DynamoDB Local on 8000 as an opt-in profile, with its data in a volume', () => {
    const dynamo = compose.services['dynamodb-local'];
    expect(dynamo.profiles).toEqual(['dynamodb']);
    expect(dynamo.image).toMatch(/^amazon\/dynamodb-local:\d+\.\d+\.\d+$/);
    expect(dynamo.ports).toContain('127.0.0.1:8000:8000');
    expect(dynamo.command).toEqual(expect.arrayContaining(['-sharedDb', '-dbPath']));
    expect(Object.keys(compose.volumes)).toContain(String(dynamo.volumes[0]).split(':')[0]);
  });
});
