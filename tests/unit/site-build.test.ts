import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
// @ts-expect-error a plain .mjs script without types
import { buildSite } from '../../scripts/site/build.mjs';

/**
 * The site's local-only parts (the trace collector's reader, « Envoyer 20 commandes ») are compiled
 * into a site built for a local stack (with the bank's fault routes) and out of a deployed one.
 */
const dirs: string[] = [];

async function builtJs(bankUrl: string | undefined): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'site-build-'));
  dirs.push(outDir);
  await buildSite({ outDir, apiUrl: 'https://api.example.com/prod', bankUrl });
  const files = (await readdir(outDir, { recursive: true })).filter((name) => name.endsWith('.js'));
  return (await Promise.all(files.map((name) => readFile(path.join(outDir, name), 'utf8')))).join('\n');
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the site build', () => {
  it('compiles the trace reader and the traffic button into a local stack’s site only', async () => {
    // Act
    const deployed = await builtJs(undefined);
    const local = await builtJs('http://127.0.0.1:5004/bank');

    // Assess
    expect(local).toContain('/_local/');
    expect(local).toContain('traffic-send');
    expect(deployed).not.toContain('/_local/');
    expect(deployed).not.toContain('traffic-send');
    // The panel itself (lessons, waterfall from Server-Timing) is in both.
    expect(deployed).toContain('lesson-pick');
  }, 60_000);
});
