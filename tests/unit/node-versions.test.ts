import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The one match of `pattern` in `text`, or a failure naming what was looked for. */
function only(text: string, pattern: RegExp, what: string): string {
  const matches = [...text.matchAll(new RegExp(pattern, 'gm'))];
  if (matches.length !== 1) throw new Error(`expected one ${what}, found ${matches.length}`);
  return matches[0]![1]!;
}

describe('Node versions', () => {
  it.each(['serverless.yml', 'bank/serverless.yml'])('%s bundles for the Node of its Lambda runtime', (file) => {
    // Prepare
    const text = read(file);

    // Act
    const runtime = only(text, /^ {2}runtime: nodejs(\d+)\.x$/, 'provider.runtime');
    const target = only(text, /^ {4}target: node(\d+)$/, 'custom.esbuild.target');

    // Assess
    expect(target).toBe(runtime);
  });

  it("package.json's engines name the Lambda runtime's Node", () => {
    const runtime = only(read('serverless.yml'), /^ {2}runtime: nodejs(\d+)\.x$/, 'provider.runtime');
    const engines = JSON.parse(read('package.json')).engines.node as string;

    expect(engines.split('||').map((range) => range.trim())).toContain(runtime);
  });
});
