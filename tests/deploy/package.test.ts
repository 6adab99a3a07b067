import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bankContract, type Contract, shopContract } from '../support/openapi';

// `serverless package --stage prod` needs no AWS credentials: the templates a real deploy would
// send — the shop's (serverless.yml) and the bank's (bank/serverless.yml) — are checked here, offline.
const root = path.resolve(__dirname, '../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'shop-package-'));
const SECRET_PROBE = 'probe-secret-that-must-never-reach-the-template-0123456789';
const MERCHANT_KEY_PROBE = 'probe-merchant-key-that-must-never-reach-a-template-0123456789';
const ZIP_BUDGET_BYTES = 400 * 1024;
/** The test-only crash switch's message (functions/orders/test-faults.ts): local builds only. */
const CRASH_SWITCH_TEXT = 'crashed after the bank answered';

type Resource = { Type: string; Properties: Record<string, any>; Condition?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string };
interface Packaged {
  dir: string;
  text: string;
  template: { Resources: Record<string, Resource>; Conditions?: Record<string, any> };
  resources: Record<string, Resource>;
}
let shop: Packaged;
let bank: Packaged;
const workFolders: string[] = [];

async function packageService(serviceDir: string, name: string): Promise<Packaged> {
  const dir = path.join(outDir, name);
  const workFolder = `.esbuild/package-${process.pid}`;
  workFolders.push(path.join(serviceDir, workFolder));
  await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', 'prod', '--package', dir], {
    cwd: serviceDir,
    env: {
      ...process.env,
      // Secrets in the environment must not leak into a template.
      JWT_SECRET: SECRET_PROBE,
      MERCHANT_KEY: MERCHANT_KEY_PROBE,
      MERCHANT_KEY_NEXT: `${MERCHANT_KEY_PROBE}-next`,
      BANK_MERCHANT_KEY: MERCHANT_KEY_PROBE,
      ESBUILD_WORK_FOLDER: workFolder,
      SLS_TELEMETRY_DISABLED: '1',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
    },
    maxBuffer: 10 * 1024 * 1024,
  });
  const text = readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8');
  const template = JSON.parse(text);
  return { dir, text, template, resources: template.Resources };
}

beforeAll(async () => {
  // One after the other: two bundlings at once would starve a 2-core machine.
  shop = await packageService(root, 'shop');
  bank = await packageService(path.join(root, 'bank'), 'bank');
}, 240_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  for (const folder of workFolders) rmSync(folder, { recursive: true, force: true });
});

const ofType = (packaged: Packaged, type: string) => Object.entries(packaged.resources).filter(([, resource]) => resource.Type === type);

/** The files of a zip (stored or deflated entries), by name: enough to look inside a function package. */
function unzip(file: string): Map<string, string> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(end + 10);
  const files = new Map<string, string>();
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

/** `METHOD /path` of every method a template deploys (preflights aside). */
function deployedRoutes(packaged: Packaged): string[] {
  const pathOf = (resourceId: string): string => {
    const resource = packaged.resources[resourceId]!;
    const parent = resource.Properties.ParentId.Ref;
    return `${parent ? pathOf(parent) : ''}/${resource.Properties.PathPart}`;
  };
  return ofType(packaged, 'AWS::ApiGateway::Method')
    .filter(([, method]) => method.Properties.HttpMethod !== 'OPTIONS')
    .map(([, method]) => `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId.Ref)}`);
}
const documentedRoutes = (contract: Contract) =>
  contract
    .operations()
    .filter(({ operation }) => !operation['x-local-only'])
    .map(({ method, path: route }) => `${method} ${route}`);

/** X-Ray's write actions name no resource: the one statement allowed `*`, checked by the tracing test. */
const XRAY_WRITE = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] };
const isXRayWrite = (statement: any): boolean => JSON.stringify(statement) === JSON.stringify(XRAY_WRITE);
const statementsOf = (role: Resource): any[] => (role.Properties.Policies ?? []).flatMap((policy: any) => policy.PolicyDocument.Statement);

/** What each function's role may do (X-Ray writes aside): actions, and the resource each statement names (tables by id, `ssm` for parameters). */
function grants(packaged: Packaged, fn: string) {
  const role = packaged.resources[packaged.resources[fn]!.Properties.Role['Fn::GetAtt'][0]]!;
  const statements = statementsOf(role).filter((statement) => !isXRayWrite(statement));
  return statements.map((statement: any) => ({
    actions: [...statement.Action].sort().join(','),
    on: statement.Resource.map(
      (r: any) => r['Fn::GetAtt']?.[0] ?? r['Fn::Join']?.[1]?.[0]?.['Fn::GetAtt']?.[0] ?? (typeof r === 'object' && r['Fn::Sub'] ? 'ssm' : JSON.stringify(r)),
    ),
  }));
}

function expectNoWildcards(packaged: Packaged): void {
  for (const [, role] of ofType(packaged, 'AWS::IAM::Role')) {
    for (const statement of statementsOf(role).filter((statement) => !isXRayWrite(statement))) {
      expect(statement.Action.some((action: string) => action.includes('*'))).toBe(false);
      expect(statement.Resource).not.toContain('*');
    }
  }
}

/**
 * X-Ray active tracing on every function and the API stage, and every role of the template (each a function's
 * own) allowed to write its segments.
 */
function expectActiveTracing(packaged: Packaged): void {
  const functions = ofType(packaged, 'AWS::Lambda::Function');
  expect(functions.length).toBeGreaterThan(0);
  for (const [id, fn] of functions) {
    expect({ id, tracing: fn.Properties.TracingConfig }).toEqual({ id, tracing: { Mode: 'Active' } });
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    expect({ id, roleId, xray: statementsOf(packaged.resources[roleId]!).filter(isXRayWrite).length }).toEqual({ id, roleId, xray: 1 });
  }
  // Every role, not only those the functions above name: a role added later without X-Ray is caught too.
  const roles = ofType(packaged, 'AWS::IAM::Role');
  expect(roles.length).toBeGreaterThan(0);
  for (const [roleId, role] of roles) expect({ roleId, xray: statementsOf(role).filter(isXRayWrite).length }).toEqual({ roleId, xray: 1 });
  const deployments = ofType(packaged, 'AWS::ApiGateway::Deployment');
  expect(deployments).toHaveLength(1);
  for (const [, deployment] of deployments) expect(deployment.Properties.StageDescription.TracingEnabled).toBe(true);
  // A stage declared outside the Deployment would not get its StageDescription: none may exist untraced.
  for (const [id, stage] of ofType(packaged, 'AWS::ApiGateway::Stage')) expect({ id, tracing: stage.Properties.TracingEnabled }).toEqual({ id, tracing: true });
  // No X-Ray SDK in the bundles: Lambda's own tracing and the trace headers (lib/trace.ts) do without it.
  for (const zip of readdirSync(packaged.dir).filter((name) => name.endsWith('.zip'))) {
    for (const [name, content] of unzip(path.join(packaged.dir, zip)))
      expect({ zip, name, xraySdk: content.includes('aws-xray-sdk') }).toEqual({ zip, name, xraySdk: false });
  }
}

/** The text only the local trace collector (scripts/local/trace-collector.mjs) holds: its routes and its factory. */
const COLLECTOR_TEXTS = ['/_local/', 'createTraceCollector'];

/** No route under `_local` or `traces` (the collector is local only, served by the site's server), and no collector code in any zip. */
function expectNoTraceCollector(packaged: Packaged): void {
  const parts = ofType(packaged, 'AWS::ApiGateway::Resource').map(([, resource]) => String(resource.Properties.PathPart));
  expect(parts.filter((part) => /_local|traces/i.test(part))).toEqual([]);
  expect(deployedRoutes(packaged).filter((route) => /_local|traces/i.test(route))).toEqual([]);
  const zips = readdirSync(packaged.dir).filter((name) => name.endsWith('.zip'));
  expect(zips.length).toBeGreaterThan(0);
  for (const zip of zips) {
    for (const [name, content] of unzip(path.join(packaged.dir, zip))) {
      const found = COLLECTOR_TEXTS.filter((needle) => content.includes(needle));
      expect({ zip, name, collector: found }).toEqual({ zip, name, collector: [] });
    }
  }
}

function zipSizes(packaged: Packaged): Record<string, number> {
  const zips = readdirSync(packaged.dir).filter((name) => name.endsWith('.zip'));
  return Object.fromEntries(zips.map((zip) => [zip, statSync(path.join(packaged.dir, zip)).size]));
}

describe('serverless package --stage prod: the shop', () => {
  it('declares every table on demand, with its keys, point-in-time recovery and (on prod) deletion protection', () => {
    const tables = Object.fromEntries(ofType(shop, 'AWS::DynamoDB::Table').map(([id, table]) => [id, table.Properties]));
    const keys = Object.fromEntries(Object.entries(tables).map(([id, p]) => [id, p.KeySchema.map((k: any) => `${k.AttributeName}:${k.KeyType}`).join(',')]));
    expect(keys).toEqual({
      UsersTable: 'username:HASH',
      RefreshTokensTable: 'id:HASH',
      LoginAttemptsTable: 'username:HASH',
      OrdersTable: 'username:HASH,sk:RANGE',
      RetiredBankPaymentsTable: 'orderId:HASH',
      RetiredBankFaultsTable: 'id:HASH',
    });
    for (const p of Object.values(tables)) {
      expect(p.BillingMode).toBe('PAY_PER_REQUEST');
      expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(p.DeletionProtectionEnabled).toBe(true);
      expect(p.TableName).toMatch(/^serverless-shop-prod-/);
    }
  });

  it('keeps the bank’s old tables, retained on delete and replace, declared on deployed stages only, and used by no function', () => {
    for (const [id, name] of [
      ['RetiredBankPaymentsTable', 'serverless-shop-prod-bank-payments'],
      ['RetiredBankFaultsTable', 'serverless-shop-prod-bank-faults'],
    ] as const) {
      expect(shop.resources[id]).toMatchObject({
        Condition: 'IsDeployedStage',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { TableName: name },
      });
    }
    // The condition holds on prod: the tables stay in the stack, so this release deletes nothing.
    expect(shop.template.Conditions?.IsDeployedStage).toEqual({ 'Fn::Equals': ['deployed', 'deployed'] });
    expect(shop.text).not.toMatch(/"Fn::GetAtt":\s*\[\s*"RetiredBank/);
    expect(shop.text).not.toMatch(/"Ref":\s*"RetiredBank/);
  });

  it('has no /bank resource, no bank function and no bank role', () => {
    const parts = ofType(shop, 'AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart);
    for (const part of ['bank', 'pay', 'payments', 'faults']) expect(parts).not.toContain(part);
    expect(deployedRoutes(shop).filter((route) => route.includes('/bank'))).toEqual([]);
    expect(
      ofType(shop, 'AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['AuthLambdaFunction', 'AuthorizerLambdaFunction', 'DocsLambdaFunction', 'OrdersLambdaFunction', 'OrdersReconcilerLambdaFunction']);
    expect(
      ofType(shop, 'AWS::IAM::Role')
        .map(([id]) => id)
        .filter((id) => /bank/i.test(id)),
    ).toEqual([]);
  });

  it('puts the TOKEN authorizer, cached 30 s, on every /api/orders method and on nothing else', () => {
    const [[authorizerId, authorizer]] = ofType(shop, 'AWS::ApiGateway::Authorizer') as [[string, Resource]];
    // Short: a logged-out session's tokens pass for at most this plus the session check's cache (docs/auth.md).
    expect(authorizer.Properties).toMatchObject({ Type: 'TOKEN', AuthorizerResultTtlInSeconds: 30, IdentitySource: 'method.request.header.Authorization' });
    const methods = ofType(shop, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    const ordersResources = ['ApiGatewayResourceApiOrders', 'ApiGatewayResourceApiOrdersOrderidVar'];
    const guarded = methods.filter(([, m]) => ordersResources.includes(m.Properties.ResourceId.Ref));
    expect(guarded.map(([, m]) => `${m.Properties.HttpMethod} ${m.Properties.ResourceId.Ref}`).sort()).toEqual([
      'GET ApiGatewayResourceApiOrders',
      'GET ApiGatewayResourceApiOrdersOrderidVar',
      'POST ApiGatewayResourceApiOrders',
    ]);
    for (const [, method] of guarded) expect(method.Properties).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    for (const [, method] of methods.filter((entry) => !guarded.includes(entry))) expect(method.Properties.AuthorizationType).toBe('NONE');
  });

  it('gives each function its own role, with only its own tables, actions and parameters', () => {
    expect(grants(shop, 'AuthLambdaFunction')).toEqual([
      { actions: 'dynamodb:GetItem,dynamodb:PutItem', on: ['UsersTable'] },
      { actions: 'dynamodb:ConditionCheckItem,dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem', on: ['RefreshTokensTable'] },
      { actions: 'dynamodb:DeleteItem,dynamodb:GetItem,dynamodb:UpdateItem', on: ['LoginAttemptsTable'] },
      { actions: 'ssm:GetParameter', on: ['ssm'] },
    ]);
    expect(grants(shop, 'AuthorizerLambdaFunction')).toEqual([
      { actions: 'ssm:GetParameter', on: ['ssm'] },
      { actions: 'dynamodb:GetItem', on: ['RefreshTokensTable'] },
    ]);
    // The orders functions read the bank's address and the shop's merchant key from SSM.
    expect(
      grants(shop, 'OrdersLambdaFunction')
        .flatMap((g: any) => g.on)
        .sort(),
    ).toEqual(['OrdersTable', 'ssm', 'ssm']);
    expect(
      grants(shop, 'OrdersReconcilerLambdaFunction')
        .flatMap((g: any) => g.on)
        .sort(),
    ).toEqual(['OrdersTable', 'OrdersTable', 'ssm', 'ssm']);
    const roleOf = (fn: string) => shop.resources[shop.resources[fn]!.Properties.Role['Fn::GetAtt'][0]]!;
    for (const fn of ['OrdersLambdaFunction', 'OrdersReconcilerLambdaFunction']) {
      const text = JSON.stringify(roleOf(fn));
      expect(text).toContain('parameter/shop-bank/prod/url');
      expect(text).toContain('parameter/serverless-shop/prod/bank-merchant-key');
    }
    expect(grants(shop, 'DocsLambdaFunction')).toEqual([]);
    expectNoWildcards(shop);
  });

  it('holds no secret: the token secret and the merchant key come from SSM by name, never as a value', () => {
    expect(shop.text).not.toContain(SECRET_PROBE);
    expect(shop.text).not.toContain(MERCHANT_KEY_PROBE);
    for (const [, fn] of ofType(shop, 'AWS::Lambda::Function')) {
      const variables = fn.Properties.Environment.Variables;
      expect(variables.JWT_SECRET).toBeUndefined();
      expect(variables.BANK_MERCHANT_KEY).toBeUndefined();
      expect(variables).toMatchObject({
        JWT_SECRET_PARAMETER: '/serverless-shop/prod/jwt-secret',
        BANK_MERCHANT_KEY_PARAMETER: '/serverless-shop/prod/bank-merchant-key',
        BANK_URL_PARAMETER: '/shop-bank/prod/url',
      });
    }
  });

  it('has stage throttling, CORS for the site only, and 14-day logs', () => {
    const [[, deployment]] = ofType(shop, 'AWS::ApiGateway::Deployment') as [[string, Resource]];
    expect(deployment.Properties.StageDescription).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, TracingEnabled: true });
    const preflights = ofType(shop, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const [, preflight] of preflights) {
      const origin = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin'];
      expect(origin).not.toBe("'*'");
    }
    for (const [, group] of ofType(shop, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('traces every function and the API stage with X-Ray, each role allowed to write its segments, without the X-Ray SDK', () => {
    expectActiveTracing(shop);
  });

  it('deploys exactly the routes of openapi.yaml that are not local-only', () => {
    expect(deployedRoutes(shop).sort()).toEqual(documentedRoutes(shopContract).sort());
  });

  it('deploys no trace collector: no route under _local or traces, none of its code in a bundle', () => {
    expectNoTraceCollector(shop);
  });

  it('bundles each function into a small zip (sizes printed); the orders bundles hold no crash switch', () => {
    const sizes = zipSizes(shop);
    expect(Object.keys(sizes).sort()).toEqual(['auth.zip', 'authorizer.zip', 'docs.zip', 'orders.zip', 'ordersReconciler.zip']);
    process.stdout.write(`shop function zips (bytes, budget ${ZIP_BUDGET_BYTES}): ${JSON.stringify(sizes)}\n`);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
    for (const zip of ['orders.zip', 'ordersReconciler.zip']) {
      const files = unzip(path.join(shop.dir, zip));
      // The reader sees the code (a control: the orders code names its 503 codes).
      expect([...files.values()].some((content) => content.includes('NOT_RECEIVED_BY_BANK'))).toBe(true);
      // Source maps included: `__LOCAL_STAGE__` is false on prod, so esbuild dropped the switch's module.
      for (const [name, content] of files) expect({ zip, name, crashSwitch: content.includes(CRASH_SWITCH_TEXT) }).toEqual({ zip, name, crashSwitch: false });
    }
  });
});

describe('serverless package --stage prod: the bank', () => {
  it('deploys the payment routes only, with no authorizer (the function checks the merchant key), exactly as bank/openapi.yaml says', () => {
    expect(deployedRoutes(bank).sort()).toEqual(['GET /bank/payments/{order_id}', 'POST /bank/pay']);
    expect(deployedRoutes(bank).sort()).toEqual(documentedRoutes(bankContract).sort());
    expect(ofType(bank, 'AWS::ApiGateway::Authorizer')).toEqual([]);
    for (const [, method] of ofType(bank, 'AWS::ApiGateway::Method')) expect(method.Properties.AuthorizationType).toBe('NONE');
  });

  it('has one function, payments, and no fault controls: no faults function, route or FaultsRole', () => {
    expect(ofType(bank, 'AWS::Lambda::Function').map(([id]) => id)).toEqual(['PaymentsLambdaFunction']);
    expect(bank.resources.FaultsRole).toBeUndefined();
    expect(bank.resources.FaultsLambdaFunction).toBeUndefined();
    expect(ofType(bank, 'AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart)).not.toContain('faults');
    expect(ofType(bank, 'AWS::IAM::Role').map(([id]) => id)).toEqual(['PaymentsRole']);
  });

  it('gives the payments function its tables (faults read-only) and its two merchant key parameters, nothing more', () => {
    expect(grants(bank, 'PaymentsLambdaFunction')).toEqual([
      { actions: 'dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem', on: ['PaymentsTable'] },
      { actions: 'dynamodb:GetItem', on: ['FaultsTable'] },
      { actions: 'ssm:GetParameter', on: ['ssm', 'ssm'] },
    ]);
    const role = JSON.stringify(bank.resources.PaymentsRole);
    expect(role).toContain('parameter/shop-bank/prod/merchant-key"');
    expect(role).toContain('parameter/shop-bank/prod/merchant-key-next"');
    expectNoWildcards(bank);
  });

  it('traces the payments function and the API stage with X-Ray, its role allowed to write its segments, without the X-Ray SDK', () => {
    expectActiveTracing(bank);
  });

  it('deploys no trace collector: no route under _local or traces, none of its code in a bundle', () => {
    expectNoTraceCollector(bank);
  });

  it('holds no merchant key: only the names of its SSM parameters', () => {
    expect(bank.text).not.toContain(MERCHANT_KEY_PROBE);
    expect(bank.text).not.toContain(SECRET_PROBE);
    const variables = bank.resources.PaymentsLambdaFunction!.Properties.Environment.Variables;
    expect(variables.MERCHANT_KEY).toBeUndefined();
    expect(variables.MERCHANT_KEY_NEXT).toBeUndefined();
    expect(variables).toMatchObject({ MERCHANT_KEY_PARAMETER: '/shop-bank/prod/merchant-key', MERCHANT_KEY_NEXT_PARAMETER: '/shop-bank/prod/merchant-key-next' });
  });

  it('publishes its address for the shop (/shop-bank/prod/url) and keeps its tables on prod', () => {
    expect(bank.resources.UrlParameter).toMatchObject({ Type: 'AWS::SSM::Parameter', Properties: { Name: '/shop-bank/prod/url', Type: 'String' } });
    expect(JSON.stringify(bank.resources.UrlParameter!.Properties.Value)).toContain('/prod/bank');
    const tables = Object.fromEntries(ofType(bank, 'AWS::DynamoDB::Table').map(([id, table]) => [id, table.Properties]));
    expect(Object.fromEntries(Object.entries(tables).map(([id, p]) => [id, p.TableName]))).toEqual({
      PaymentsTable: 'shop-bank-prod-payments',
      FaultsTable: 'shop-bank-prod-faults',
    });
    for (const p of Object.values(tables))
      expect(p).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    for (const [, group] of ofType(bank, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('bundles payments alone into a small zip, without the faults handler', () => {
    const sizes = zipSizes(bank);
    process.stdout.write(`bank function zips (bytes, budget ${ZIP_BUDGET_BYTES}): ${JSON.stringify(sizes)}\n`);
    expect(Object.keys(sizes)).toEqual(['payments.zip']);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(ZIP_BUDGET_BYTES);
    const files = unzip(path.join(bank.dir, 'payments.zip'));
    expect([...files.keys()].sort()).toEqual(['src/handler.js', 'src/handler.js.map']);
    expect(files.get('src/handler.js')).toContain('MERCHANT_UNAUTHORIZED');
    for (const [name, content] of files) {
      expect({ name, faultsHandler: content.includes('faults-handler'), faultRoutes: content.includes('/bank/faults') }).toEqual({
        name,
        faultsHandler: false,
        faultRoutes: false,
      });
    }
  });
});
