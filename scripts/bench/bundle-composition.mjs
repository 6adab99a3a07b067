// What each function bundle is made of: bytes in the minified output per npm package or
// project folder, from esbuild's metafile with serverless.yml's options.
// Usage: node scripts/bench/bundle-composition.mjs [function …]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { deployedEsbuildOptions, projectRoot, readServerlessYml } from './lib/build.mjs';

const wanted = process.argv.slice(2);
const outDir = mkdtempSync(path.join(tmpdir(), 'shop-bundles-'));
for (const [key, fn] of Object.entries(readServerlessYml().functions ?? {})) {
  if (wanted.length && !wanted.includes(key)) continue;
  const entry = path.join(projectRoot, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`);
  const result = await build({ ...deployedEsbuildOptions(), entryPoints: [entry], outfile: path.join(outDir, `${key}.js`), metafile: true, logLevel: 'error' });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const parts = {};
  for (const [file, info] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/.exec(file);
    const name = pkg ? (pkg[1] === 'zod' && pkg[2].includes('locales') ? 'zod (locales)' : pkg[1]) : path.dirname(file);
    parts[name] = (parts[name] ?? 0) + info.bytesInOutput;
  }
  console.log(`${key}: ${(output.bytes / 1024).toFixed(1)} KB`);
  for (const [name, bytes] of Object.entries(parts).sort((a, b) => b[1] - a[1])) {
    if (bytes >= 512) console.log(`  ${(bytes / 1024).toFixed(1).padStart(6)} KB  ${name}`);
  }
}
rmSync(outDir, { recursive: true, force: true });
