import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * Two fixes for serverless-offline are carried by patch-package: `npm ci` runs the root
 * `postinstall`, which applies patches/*.patch. The CORS fix (docs/security.md, "CORS locally";
 * docs/upstream/serverless-offline-cors.md) and the in-process mode's per-invocation work
 * (docs/upstream/serverless-offline-in-process.md). This checks, without a server, that the
 * installed files are the patched ones.
 */
const root = path.resolve(__dirname, '../..');
const PATCH = 'patches/serverless-offline+14.8.2.patch';
/** Every change carries its fix's marker; each patched file, the markers of the fixes in it. */
const CORS = '[cors-configured-origins]';
const IN_PROCESS = '[in-process-per-invocation]';
const MARKERS: Record<string, string[]> = {
  'node_modules/serverless-offline/src/events/http/HttpServer.js': [CORS, IN_PROCESS],
  'node_modules/serverless-offline/src/events/http/createAuthScheme.js': [IN_PROCESS],
  'node_modules/serverless-offline/src/lambda/handler-runner/in-process-runner/InProcessRunner.js': [IN_PROCESS],
};

const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const patchText = readFileSync(path.join(root, PATCH), 'utf8');

interface FilePatch {
  file: string;
  /** Each hunk's text after the patch: context and added lines. */
  after: string[];
}

/** The files and hunks of a unified diff as patch-package writes it. */
function parsePatch(text: string): FilePatch[] {
  const files: FilePatch[] = [];
  let hunk: string[] | null = null;
  for (const line of text.split('\n')) {
    const target = /^\+\+\+ b\/(.+)$/.exec(line);
    if (target) {
      files.push({ file: target[1]!, after: [] });
      hunk = null;
    } else if (line.startsWith('@@')) {
      hunk = [];
      files.at(-1)!.after.push('');
    } else if (hunk && files.length && (line.startsWith(' ') || line.startsWith('+'))) {
      const current = files.at(-1)!;
      current.after[current.after.length - 1] += `${line.slice(1)}\n`;
    }
  }
  return files;
}

describe('the serverless-offline patch', () => {
  it('is applied on install: patch-package pinned, and run by the root postinstall', () => {
    expect(packageJson.scripts.postinstall).toMatch(/\bpatch-package\b/);
    expect(packageJson.devDependencies['patch-package']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is for the serverless-offline version installed (a new version needs the patch redone, or dropped)', () => {
    expect(packageJson.devDependencies['serverless-offline']).toBe('14.8.2');
    const installed = JSON.parse(readFileSync(path.join(root, 'node_modules/serverless-offline/package.json'), 'utf8'));
    expect(installed.version).toBe('14.8.2');
  });

  it('every hunk of it is in the installed files', () => {
    const files = parsePatch(patchText);
    expect(files.map(({ file }) => file)).toEqual(Object.keys(MARKERS));
    for (const { file, after } of files) {
      const installed = readFileSync(path.join(root, file), 'utf8');
      expect(after.length).toBeGreaterThan(0);
      for (const hunk of after) expect({ file, applied: installed.includes(hunk) }).toEqual({ file, applied: true });
      for (const marker of MARKERS[file] ?? []) expect({ file, marker, present: installed.includes(marker) }).toEqual({ file, marker, present: true });
    }
  });
});
