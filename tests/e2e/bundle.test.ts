import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';

/**
 * `serverless bundle` (scripts/serverless/esbuild.cjs): what `npm start`, the tests and the bench
 * run, each service in a process of its own, before their servers start with PREBUILT_HANDLERS.
 */
const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function bundle(cwd: string, workFolder: string) {
  folders.push(path.join(cwd, workFolder));
  return run(process.execPath, [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'bundle', '--stage', 'test'], {
    cwd,
    env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
}

describe('serverless bundle', () => {
  it("bundles every handler of the shop and of the bank into the work folder's .build, and says so", async () => {
    const shop = await bundle(root, `.esbuild/bundle-test-${process.pid}`);
    expect(shop.stderr + shop.stdout).toMatch(/Bundled 5 handler\(s\) into \.esbuild\/bundle-test-\d+\/\.build/);
    for (const fn of ['auth/handler', 'authorizer/handler', 'orders/handler', 'orders/reconciler', 'docs/handler']) {
      expect(existsSync(path.join(root, `.esbuild/bundle-test-${process.pid}/.build/functions/${fn}.js`))).toBe(true);
    }
    const bankDir = path.join(root, 'bank');
    await bundle(bankDir, `.esbuild/bundle-test-${process.pid}`);
    for (const file of ['handler', 'faults-handler']) {
      expect(existsSync(path.join(bankDir, `.esbuild/bundle-test-${process.pid}/.build/src/${file}.js`))).toBe(true);
    }
  }, 60_000);

  it("fails at once on a handler that does not compile, with esbuild's message (it does not hang on esbuild's service)", async () => {
    // A service of one broken handler, inside the repository so that the plugin finds node_modules.
    mkdirSync(path.join(root, '.esbuild'), { recursive: true });
    const service = mkdtempSync(path.join(root, '.esbuild', 'broken-service-'));
    folders.push(service);
    writeFileSync(
      path.join(service, 'serverless.yml'),
      [
        'service: broken-bundle',
        "frameworkVersion: '4'",
        'plugins: { localPath: ../../scripts, modules: [serverless/esbuild.cjs] }',
        'provider: { name: aws, runtime: nodejs22.x }',
        'functions: { broken: { handler: handler.handler } }',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(service, 'handler.ts'), 'export const handler = ;\n');
    const failure = await bundle(service, '.esbuild').then(
      () => undefined,
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(`${failure?.stderr}${failure?.stdout}`).toContain('handler.ts:1:23: ERROR: Unexpected ";"');
  }, 30_000);
});
