// Bundles benchmark harnesses with the esbuild options serverless.yml deploys with
// (custom.esbuild), so what is measured in one process is what runs in a Lambda.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import YAML from 'yaml';

export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
export const nodeModules = path.join(projectRoot, 'node_modules');

/** The services of the repository: the shop (serverless.yml) and the bank (bank/serverless.yml). */
export const serviceDirs = { shop: projectRoot, bank: path.join(projectRoot, 'bank') };

/** A service's serverless.yml as written (variables unresolved). */
export function readServerlessYml(service = 'shop') {
  return YAML.parse(readFileSync(path.join(serviceDirs[service], 'serverless.yml'), 'utf8'), { logLevel: 'silent' });
}

/**
 * A service's functions as its serverless.yml declares them, in order: `functions` is a map (the
 * shop) or a list of maps (the bank, whose local-only functions sit under custom.localFunctions.local).
 */
export function declaredFunctions(service) {
  const yml = readServerlessYml(service);
  const parts = Array.isArray(yml.functions) ? yml.functions : [yml.functions ?? {}];
  const declared = {};
  for (const part of parts) if (part && typeof part === 'object') Object.assign(declared, part);
  return { ...declared, ...(yml.custom?.localFunctions?.local ?? {}) };
}

/**
 * serverless-esbuild's options as esbuild options: `exclude` becomes `external`, a `plugins`
 * path is loaded (serverless-esbuild takes a file exporting an array), and the plugin's own
 * keys (watch, work folders, packaging switches) are dropped.
 */
export function deployedEsbuildOptions(service = 'shop') {
  const {
    exclude = [],
    plugins,
    watch: _watch,
    outputWorkFolder: _work,
    outputBuildFolder: _build,
    sourcemap: _sourcemap,
    packager: _packager,
    skipRebuild: _skipRebuild,
    disposeContext: _dispose,
    keepOutputDirectory: _keep,
    define = {},
    ...options
  } = readServerlessYml(service).custom?.esbuild ?? {};
  const loaded = typeof plugins === 'string' ? createRequire(import.meta.url)(path.resolve(serviceDirs[service], plugins)) : plugins;
  // `define` values are serverless variables in the file; the benchmarks build for a local stage
  // (`test`), whose bundles keep their local-only code: `__LOCAL_STAGE__` is true.
  return { ...options, define: { ...define, __LOCAL_STAGE__: 'true' }, external: exclude, ...(loaded ? { plugins: loaded } : {}) };
}

let outDir;
export function benchTmpDir() {
  outDir ??= mkdtempSync(path.join(tmpdir(), 'shop-bench-'));
  return outDir;
}

/**
 * Bundles `entry` to a CommonJS file in a temporary folder. `redirects` maps an import as
 * written (e.g. './dependencies') to a replacement file, for the importer whose path ends
 * with the given suffix. Run the output with NODE_PATH=<project>/node_modules.
 */
export async function bundleHarness(entry, { name = path.basename(entry).replace(/\.[cm]?[jt]s$/, ''), redirects = [] } = {}) {
  const outfile = path.join(benchTmpDir(), `${name}.cjs`);
  await build({
    ...deployedEsbuildOptions(),
    entryPoints: [entry],
    outfile,
    sourcemap: false,
    logLevel: 'error',
    plugins: [
      ...(deployedEsbuildOptions().plugins ?? []),
      {
        name: 'bench-redirects',
        setup(b) {
          for (const { importer, request, replacement } of redirects) {
            const filter = new RegExp(`^${request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
            b.onResolve({ filter }, (args) => (args.importer.endsWith(importer) ? { path: replacement } : undefined));
          }
        },
      },
    ],
  });
  return outfile;
}
