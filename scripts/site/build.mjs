#!/usr/bin/env node
// Builds the static SPA: esbuild bundles static-site/src/main.ts (the teaching panel is a chunk of its own,
// loaded when the panel opens), the Tailwind CLI compiles the CSS, and index.html is written with a
// Content-Security-Policy whose connect-src allows the configured API origin and, when the site is given one,
// the bank's (the teaching panel's fault controls). Asset names carry a hash of their content
// (app-<hash>.js, app-<hash>.css, chunks/…-<hash>.js), so scripts/site/serve.mjs can cache them for good;
// in --watch mode the entry files keep fixed names (app.js, app.css) and are revalidated instead.
//
//   node scripts/site/build.mjs [--out dist/site] [--api http://localhost:5003] [--bank http://localhost:5004/bank]
//                               [--watch] [--test-hooks]
//   Without --bank (or SITE_BANK_URL) the site has no bank URL: the panel says the fault controls are
//   unavailable, as they are on a deployed bank.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { watch as watchFile } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const siteRoot = path.join(repoRoot, 'static-site');
const require = createRequire(import.meta.url);

export const DEFAULT_OUT_DIR = path.join(repoRoot, 'dist/site');
export const DEFAULT_API_URL = 'http://localhost:5003';

/** The page's policy: scripts, styles and fetches only from this origin, the API's and the bank's (if any). */
export function contentSecurityPolicy(apiUrl, bankUrl) {
  const origins = [...new Set([new URL(apiUrl).origin, ...(bankUrl ? [new URL(bankUrl).origin] : [])])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${origins.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

function tailwindBin() {
  const pkgPath = require.resolve('@tailwindcss/cli/package.json');
  const { bin } = require(pkgPath);
  return path.join(path.dirname(pkgPath), typeof bin === 'string' ? bin : bin.tailwindcss);
}

function runTailwind(outFile, { watch, minify }) {
  const args = [tailwindBin(), '-i', path.join(siteRoot, 'src/styles.css'), '-o', outFile];
  if (minify) args.push('--minify');
  // Without a TTY plain --watch exits at once; --watch=always keeps it running.
  if (watch) args.push('--watch=always');
  const child = spawn(process.execPath, args, { cwd: siteRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const firstBuild = new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (watch && /Done in/.test(stderr)) resolve();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && !watch) resolve();
      else reject(new Error(`Tailwind CLI exited with code ${code}: ${stderr.trim()}`));
    });
  });
  return { child, firstBuild };
}

/** index.html names the entry assets by their built names (hashed, except in watch mode). */
async function writeIndex(outDir, apiUrl, bankUrl, assets) {
  const template = await readFile(path.join(siteRoot, 'index.html'), 'utf8');
  const html = template.replaceAll('%CSP%', contentSecurityPolicy(apiUrl, bankUrl)).replaceAll('%APP_JS%', `/${assets.js}`).replaceAll('%APP_CSS%', `/${assets.css}`);
  await writeFile(path.join(outDir, 'index.html'), html);
}

const contentHash = (bytes) => createHash('sha256').update(bytes).digest('base64url').replace(/[-_]/g, '').slice(0, 8).toUpperCase();

/** Renames the compiled CSS after its content: app-<HASH>.css. */
async function hashCss(outDir) {
  const plain = path.join(outDir, 'app.css');
  const name = `app-${contentHash(await readFile(plain))}.css`;
  await rename(plain, path.join(outDir, name));
  return name;
}

/** The entry script's built name, from esbuild's metafile. */
function entryScript(metafile, outDir) {
  const [output] = Object.entries(metafile.outputs).filter(([, info]) => info.entryPoint !== undefined);
  if (!output) throw new Error('esbuild wrote no entry script');
  return path.relative(outDir, path.resolve(repoRoot, output[0])).split(path.sep).join('/');
}

function httpUrl(label, value) {
  let parsed;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${label} is not a URL: ${value}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${label} must be http(s): ${value}`);
  return value.replace(/\/+$/, '');
}

/**
 * Builds the SPA into outDir. With `watch`, keeps rebuilding on change and returns `stop()`. Without a
 * `bankUrl` the site has no fault controls (the panel says so).
 * @param {{ outDir?: string, apiUrl?: string, bankUrl?: string, watch?: boolean, testHooks?: boolean, minify?: boolean }} options
 * @returns {Promise<{ outDir: string, stop: () => Promise<void> }>}
 */
export async function buildSite({ outDir = DEFAULT_OUT_DIR, apiUrl = DEFAULT_API_URL, bankUrl, watch = false, testHooks = false, minify = !watch } = {}) {
  apiUrl = httpUrl('API URL', apiUrl);
  bankUrl = bankUrl ? httpUrl('Bank URL', bankUrl) : '';
  const resolvedOut = path.resolve(outDir);
  await mkdir(resolvedOut, { recursive: true });

  const esbuildOptions = {
    entryPoints: { app: path.join(siteRoot, 'src/main.ts') },
    outdir: resolvedOut,
    entryNames: watch ? '[name]' : '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    absWorkingDir: repoRoot,
    metafile: true,
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: true,
    minify,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      __API_URL__: JSON.stringify(apiUrl),
      __BANK_URL__: JSON.stringify(bankUrl),
      // The bank's fault routes exist on local stages only, so a site built with them is a local stage's:
      // the traffic button and the trace collector's reader are compiled in, and out of a deployed site.
      __LOCAL_STAGE__: String(Boolean(bankUrl)),
      __TEST_HOOKS__: String(Boolean(testHooks)),
    },
  };

  if (!watch) {
    // Hashed names change with every content change: old ones are dropped, not left to pile up.
    await rm(path.join(resolvedOut, 'chunks'), { recursive: true, force: true });
    const tailwind = runTailwind(path.join(resolvedOut, 'app.css'), { watch: false, minify });
    const [result] = await Promise.all([esbuild.build(esbuildOptions), tailwind.firstBuild]);
    const css = await hashCss(resolvedOut);
    await writeIndex(resolvedOut, apiUrl, bankUrl, { js: entryScript(result.metafile, resolvedOut), css });
    return { outDir: resolvedOut, stop: async () => {} };
  }

  const watchAssets = { js: 'app.js', css: 'app.css' };
  const context = await esbuild.context(esbuildOptions);
  const tailwind = runTailwind(path.join(resolvedOut, 'app.css'), { watch: true, minify });
  try {
    await Promise.all([context.rebuild(), tailwind.firstBuild, writeIndex(resolvedOut, apiUrl, bankUrl, watchAssets)]);
  } catch (error) {
    tailwind.child.kill();
    await context.dispose();
    throw error;
  }
  await context.watch();
  const htmlWatcher = watchFile(path.join(siteRoot, 'index.html'), () => {
    writeIndex(resolvedOut, apiUrl, bankUrl, watchAssets).catch((error) => console.error(`[site] index.html: ${error.message}`));
  });
  return {
    outDir: resolvedOut,
    async stop() {
      htmlWatcher.close();
      tailwind.child.kill();
      await context.dispose();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      api: { type: 'string', default: process.env.SITE_API_URL ?? DEFAULT_API_URL },
      bank: { type: 'string', default: process.env.SITE_BANK_URL ?? '' },
      watch: { type: 'boolean', default: false },
      'test-hooks': { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  const build = await buildSite({ outDir: values.out, apiUrl: values.api, bankUrl: values.bank, watch: values.watch, testHooks: values['test-hooks'] });
  console.log(`[site] built ${build.outDir} for API ${values.api}, bank ${values.bank || '(none)'} in ${Date.now() - started} ms`);
  if (values.watch) {
    console.log('[site] watching static-site/ for changes (Ctrl-C to stop)');
    const stop = () => void build.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`[site] build failed: ${error.message}`);
    process.exit(1);
  });
}
