import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * Fixes to dependencies are carried by patch-package: `npm ci` runs the root `postinstall`, which
 * applies patches/*.patch. Each fix has a marker on every change it makes and the text of its upstream
 * issue in docs/upstream/. This checks, without a server, that the installed files are the patched ones.
 */
const root = path.resolve(__dirname, '../..');
/** serverless-offline: CORS (docs/security.md, "CORS locally"), the in-process mode's per-invocation work, and per-invocation errors. */
const CORS = '[cors-configured-origins]';
const IN_PROCESS = '[in-process-per-invocation]';
const ERRORS = '[per-invocation-errors]';
/** @aws-lite/client, bundled into the functions: an error thrown and caught on every request. */
const ENDPOINT = '[endpoint-without-host]';

interface PatchedPackage {
  name: string;
  version: string;
  /** Every patched file and the markers of the fixes in it. */
  markers: Record<string, string[]>;
  upstream: string[];
}

const PATCHED: PatchedPackage[] = [
  {
    name: 'serverless-offline',
    version: '14.8.2',
    markers: {
      'node_modules/serverless-offline/src/events/http/HttpServer.js': [CORS, IN_PROCESS],
      'node_modules/serverless-offline/src/events/http/createAuthScheme.js': [IN_PROCESS],
      'node_modules/serverless-offline/src/events/http/lambda-events/LambdaProxyIntegrationEvent.js': [ERRORS],
      'node_modules/serverless-offline/src/lambda/LambdaFunction.js': [ERRORS],
      'node_modules/serverless-offline/src/lambda/handler-runner/in-process-runner/InProcessRunner.js': [IN_PROCESS],
    },
    upstream: ['serverless-offline-cors.md', 'serverless-offline-in-process.md', 'serverless-offline-per-invocation-errors.md'],
  },
  {
    name: '@aws-lite/client',
    version: '0.24.1',
    markers: { 'node_modules/@aws-lite/client/src/lib/index.js': [ENDPOINT] },
    upstream: ['aws-lite-endpoint-without-host.md'],
  },
];

const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The patch's file name as patch-package writes it: `@aws-lite+client+0.24.1.patch`. */
const patchFileOf = ({ name, version }: PatchedPackage): string => `${name.replace('/', '+')}+${version}.patch`;

interface FilePatch {
  file: string;
  /** Each hunk's text after the patch: context and added lines. */
  after: string[];
}

/** The files and hunks of a unified diff as patch-package writes it. */
function parsePatch(text: string): FilePatch[] {
  const files: FilePatch[] = [];
  let inHunk = false;
  for (const line of text.split('\n')) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target) {
      files.push({ file: target[1]!, after: [] });
      inHunk = false;
    } else if (line.startsWith('@@')) {
      inHunk = true;
      files.at(-1)!.after.push('');
    } else if (inHunk && (line.startsWith(' ') || line.startsWith('+'))) {
      const current = files.at(-1)!;
      current.after[current.after.length - 1] += `${line.slice(1)}\n`;
    }
  }
  return files;
}

describe('the patches of dependencies', () => {
  it('are applied on install: patch-package pinned, and run by the root postinstall', () => {
    expect(packageJson.scripts.postinstall).toMatch(/\bpatch-package\b/);
    expect(packageJson.devDependencies['patch-package']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('are the patches in patches/, one per patched package', () => {
    const files = readdirSync(path.join(root, 'patches')).sort();
    expect(files).toEqual(PATCHED.map(patchFileOf).sort());
  });

  describe.each(PATCHED)('$name', (patched) => {
    const { name, version, markers, upstream } = patched;
    const patchText = readFileSync(path.join(root, 'patches', patchFileOf(patched)), 'utf8');

    it('is for the version pinned and installed (a new version needs the patch redone, or dropped)', () => {
      expect(packageJson.devDependencies[name] ?? packageJson.dependencies[name]).toBe(version);
      const installed = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
      expect(installed.version).toBe(version);
    });

    it("has every hunk in the installed files, with its fixes' markers", () => {
      const files = parsePatch(patchText);
      expect(files.map(({ file }) => file)).toEqual(Object.keys(markers));
      for (const { file, after } of files) {
        const installed = readFileSync(path.join(root, file), 'utf8');
        expect(after.length).toBeGreaterThan(0);
        for (const hunk of after) expect({ file, applied: installed.includes(hunk) }).toEqual({ file, applied: true });
        for (const marker of markers[file] ?? []) expect({ file, marker, present: installed.includes(marker) }).toEqual({ file, marker, present: true });
      }
    });

    it('has the text of its upstream issues in docs/upstream/', () => {
      for (const file of upstream) expect(readFileSync(path.join(root, 'docs', 'upstream', file), 'utf8')).toContain(`patches/${patchFileOf(patched)}`);
    });
  });
});
