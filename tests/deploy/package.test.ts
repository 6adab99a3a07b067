import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { operations } from '../support/openapi';

// `serverless package --stage prod` needs no AWS credentials: the template a real deploy
// would send is checked here, offline.
const root = path.resolve(__dirname, '../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'shop-package-'));
const SECRET_PROBE = 'probe-secret-that-must-never-reach-the-template-0123456789';
const ZIP_BUDGET_BYTES = 400 * 1024;

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;
let templateText: string;

beforeAll(async () => {
  await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', 'prod', '--package', outDir],
    {
      cwd: root,
      // A secret in the environment must not leak into the template.
      env: { ...process.env, JWT_SECRET: SECRET_PROBE, ESBUILD_WORK_FOLDER: `.esbuild/package-${process.pid}`, SLS_TELEMETRY_DISABLED: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' },
      maxBuffer: 10 * 1024 * 1024,
    },
  );
  templateText = readFileSync(path.join(outDir, 'cloudformation-template-update-stack.json'), 'utf8');
  resources = JSON.parse(templateText).Resources;
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

describe('serverless package --stage prod', () => {
  it('declares every table on demand, with its keys, point-in-time recovery and (on prod) deletion protection', () => {
    const tables = Object.fromEntries(ofType('AWS::DynamoDB::Table').map(([id, table]) => [id, table.Properties]));
    const keys = Object.fromEntries(Object.entries(tables).map(([id, p]) => [id, p.KeySchema.map((k: any) => `${k.AttributeName}:${k.KeyType}`).join(',')]));
    expect(keys).toEqual({
      UsersTable: 'username:HASH',
      RefreshTokensTable: 'id:HASH',
      LoginAttemptsTable: 'username:HASH',
      OrdersTable: 'username:HASH,sk:RANGE',
      BankPaymentsTable: 'orderId:HASH',
      BankFaultsTable: 'id:HASH',
    });
    for (const p of Object.values(tables)) {
      expect(p.BillingMode).toBe('PAY_PER_REQUEST');
      expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(p.DeletionProtectionEnabled).toBe(true);
      expect(p.TableName).toMatch(/^serverless-shop-prod-/);
    }
  });

  it('puts the TOKEN authorizer, cached 300 s, on every /api/orders method and on nothing else', () => {
    const [[authorizerId, authorizer]] = ofType('AWS::ApiGateway::Authorizer') as [[string, Resource]];
    expect(authorizer.Properties).toMatchObject({ Type: 'TOKEN', AuthorizerResultTtlInSeconds: 300, IdentitySource: 'method.request.header.Authorization' });
    const methods = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    const guarded = methods.filter(([, m]) => m.Properties.ResourceId.Ref === 'ApiGatewayResourceApiOrders');
    expect(guarded.map(([, m]) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'POST']);
    for (const [, method] of guarded) expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    for (const [, method] of methods.filter((entry) => !guarded.includes(entry))) expect(method.Properties.AuthorizationType).toBe('NONE');
  });

  it('gives each function its own role, with only its own tables and actions', () => {
    const roleOf = (fn: string) => resources[resources[fn]!.Properties.Role['Fn::GetAtt'][0]]!;
    const grants = (fn: string) => {
      const statements = (roleOf(fn).Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement);
      return statements.map((statement: any) => ({
        actions: [...statement.Action].sort().join(','),
        on: statement.Resource.map((r: any) => r['Fn::GetAtt']?.[0] ?? r['Fn::Join']?.[1]?.[0]?.['Fn::GetAtt']?.[0] ?? (typeof r === 'object' && r['Fn::Sub'] ? 'ssm' : JSON.stringify(r))),
      }));
    };
    expect(grants('AuthLambdaFunction')).toEqual([
      { actions: 'dynamodb:GetItem,dynamodb:PutItem', on: ['UsersTable'] },
      { actions: 'dynamodb:ConditionCheckItem,dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem', on: ['RefreshTokensTable'] },
      { actions: 'dynamodb:DeleteItem,dynamodb:GetItem,dynamodb:UpdateItem', on: ['LoginAttemptsTable'] },
      { actions: 'ssm:GetParameter', on: ['ssm'] },
    ]);
    expect(grants('AuthorizerLambdaFunction')).toEqual([{ actions: 'ssm:GetParameter', on: ['ssm'] }]);
    expect(grants('OrdersLambdaFunction').flatMap((g: any) => g.on).sort()).toEqual(['OrdersTable']);
    expect(grants('OrdersReconcilerLambdaFunction').flatMap((g: any) => g.on).sort()).toEqual(['OrdersTable', 'OrdersTable']);
    expect(grants('BankLambdaFunction').flatMap((g: any) => g.on).sort()).toEqual(['BankFaultsTable', 'BankPaymentsTable']);
    expect(grants('BankFaultsLambdaFunction').flatMap((g: any) => g.on)).toEqual(['BankFaultsTable']);
    expect(grants('DocsLambdaFunction')).toEqual([]);
    // Nowhere a wildcard action or resource.
    for (const [, role] of ofType('AWS::IAM::Role')) {
      for (const statement of (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement)) {
        expect(statement.Action.some((action: string) => action.includes('*'))).toBe(false);
        expect(statement.Resource).not.toContain('*');
      }
    }
  });

  it('holds no secret: the token secret comes from SSM by name, never as a value', () => {
    expect(templateText).not.toContain(SECRET_PROBE);
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const variables = fn.Properties.Environment.Variables;
      expect(variables.JWT_SECRET).toBeUndefined();
      expect(variables.JWT_SECRET_PARAMETER).toBe('/serverless-shop/prod/jwt-secret');
    }
  });

  it('has no bank fault controls, stage throttling, CORS for the site only, and 14-day logs', () => {
    const paths = ofType('AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart);
    expect(paths).not.toContain('faults');
    const [[, deployment]] = ofType('AWS::ApiGateway::Deployment') as [[string, Resource]];
    expect(deployment.Properties.StageDescription).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    const preflights = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const [, preflight] of preflights) {
      const origin = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin'];
      expect(origin).not.toBe("'*'");
    }
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('deploys exactly the routes of openapi.yaml that are not local-only', () => {
    const pathOf = (resourceId: string): string => {
      const resource = resources[resourceId]!;
      const parent = resource.Properties.ParentId.Ref;
      return `${parent ? pathOf(parent) : ''}/${resource.Properties.PathPart}`;
    };
    const deployed = ofType('AWS::ApiGateway::Method')
      .filter(([, method]) => method.Properties.HttpMethod !== 'OPTIONS')
      .map(([, method]) => `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId.Ref)}`);
    const documented = operations()
      .filter(({ operation }) => !operation['x-local-only'])
      .map(({ method, path }) => `${method} ${path}`);
    expect(deployed.sort()).toEqual(documented.sort());
  });

  it('bundles each function into a small zip (sizes printed)', () => {
    const zips = readdirSync(outDir).filter((name) => name.endsWith('.zip'));
    expect(zips.sort()).toEqual(['auth.zip', 'authorizer.zip', 'bank.zip', 'bankFaults.zip', 'docs.zip', 'orders.zip', 'ordersReconciler.zip']);
    const sizes = Object.fromEntries(zips.map((zip) => [zip, statSync(path.join(outDir, zip)).size]));
    process.stdout.write(`function zips (bytes, budget ${ZIP_BUDGET_BYTES}): ${JSON.stringify(sizes)}\n`);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
  });
});
