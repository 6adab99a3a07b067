import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

/**
 * scripts/serverless/esbuild.cjs, the bundler plugin both serverless.yml files list: with
 * PREBUILT_HANDLERS, serverless-offline runs handlers bundled beforehand and serverless-esbuild (with
 * the Effect libraries it brings) is never loaded; without it, serverless-esbuild plus `serverless bundle`.
 * Each case loads the plugin in a fresh node, so what it requires is what that process holds.
 */
const plugin = path.resolve(__dirname, '../../scripts/serverless/esbuild.cjs');
const serviceDir = mkdtempSync(path.join(tmpdir(), 'prebuilt-'));
afterAll(() => rmSync(serviceDir, { recursive: true, force: true }));

/** Loads the plugin as serverless would, with a service whose offline settings are `{ httpPort: 5003 }`. */
function load(prebuilt: string | undefined) {
  const script = `
    const Plugin = require(${JSON.stringify(plugin)});
    const serverless = {
      config: { serviceDir: ${JSON.stringify(serviceDir)} },
      service: { provider: { name: 'aws' }, custom: { 'serverless-offline': { httpPort: 5003 } } },
      configSchemaHandler: { defineFunctionProperties() {} },
    };
    let instance;
    let error;
    try { instance = new Plugin(serverless, {}, { log: {} }); } catch (caught) { error = caught.message; }
    const loaded = Object.keys(require.cache).filter((file) => /node_modules\\/(serverless-esbuild|effect|@effect)\\//.test(file)).length;
    const extendsEsbuild = process.env.PREBUILT_HANDLERS ? undefined : Object.getPrototypeOf(Plugin) === require('serverless-esbuild');
    console.log(JSON.stringify({
      name: Plugin.name, error, offline: serverless.service.custom['serverless-offline'], loaded, extendsEsbuild,
      commands: Object.keys(instance?.commands ?? {}), bundleHook: typeof instance?.hooks['bundle:bundle'],
    }));`;
  const { PREBUILT_HANDLERS: _, ...env } = process.env;
  const out = execFileSync(process.execPath, ['-e', script], { env: prebuilt === undefined ? env : { ...env, PREBUILT_HANDLERS: prebuilt }, encoding: 'utf8' });
  return JSON.parse(out) as {
    name: string;
    error?: string;
    offline: Record<string, unknown>;
    loaded: number;
    extendsEsbuild?: boolean;
    commands: string[];
    bundleHook: string;
  };
}

describe('the bundler plugin (scripts/serverless/esbuild.cjs)', () => {
  it('with PREBUILT_HANDLERS, points serverless-offline at the folder and never loads serverless-esbuild', () => {
    const result = load('.esbuild/bundle-1/.build');
    // The folder does not exist yet: refused, by name.
    expect(result.error).toMatch(/PREBUILT_HANDLERS names "\.esbuild\/bundle-1\/\.build", which does not exist/);

    const ready = load('.');
    expect(ready.error).toBeUndefined();
    expect(ready.name).toBe('PrebuiltHandlers');
    expect(ready.offline).toEqual({ httpPort: 5003, location: '.' });
    expect(ready.loaded).toBe(0);
    expect(ready.commands).toEqual([]);
  });

  it('without it, is serverless-esbuild with a `bundle` command', () => {
    const result = load(undefined);
    expect(result.error).toBeUndefined();
    expect(result.name).toBe('EsbuildWithBundle');
    expect(result.extendsEsbuild).toBe(true);
    expect(result.commands).toEqual(['bundle']);
    expect(result.bundleHook).toBe('function');
    expect(result.offline).toEqual({ httpPort: 5003 });
    expect(result.loaded).toBeGreaterThan(0);
  });
});
