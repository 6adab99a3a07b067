import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * The web site's API types are generated from the OpenAPI documents (`npm run gen:api-types`) and committed,
 * so the site type-checks without running the generator. This fails when a document changed and its file
 * was not generated again, or when a generated file was edited by hand. The generator runs in a child
 * process (openapi-typescript's dependencies are ES modules); it reads files only, no network.
 */
const root = path.resolve(__dirname, '../..');
const GENERATED = ['static-site/src/generated/api-types.ts', 'static-site/src/generated/bank-api-types.ts'];

function generate(): Record<string, string> {
  const output = execFileSync(process.execPath, [path.join(root, 'scripts/contract/gen-api-types.mjs'), '--print'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output) as Record<string, string>;
}

describe('the site API types generated from the OpenAPI documents', () => {
  const generated = generate();

  it('are generated for the shop (openapi.yaml) and the bank (bank/openapi.yaml)', () => {
    // Assess
    expect(Object.keys(generated).sort()).toEqual([...GENERATED].sort());
  });

  it.each(GENERATED)('%s is committed as openapi-typescript generates it now (else: npm run gen:api-types)', (file) => {
    // Prepare
    const committed = readFileSync(path.join(root, file), 'utf8');

    // Assess
    expect(committed).toBe(generated[file]);
  });
});
