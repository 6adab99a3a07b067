#!/usr/bin/env node
// The web site's API types, generated from the OpenAPI documents by openapi-typescript: the documents are the
// contract and the site's parsers are typed from these files.
//
//   npm run gen:api-types                            writes static-site/src/generated/*.ts
//   node scripts/contract/gen-api-types.mjs --print  prints {file: source} as JSON, writes nothing
//                                                    (tests/unit/api-types.test.ts compares it with the committed files)
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Each document and the file generated from it, relative to the repository root. */
const API_TYPE_FILES = [
  { document: 'openapi.yaml', output: 'static-site/src/generated/api-types.ts' },
  // The teaching panel's fault settings are the bank's own route (GET/PUT /bank/faults).
  { document: 'bank/openapi.yaml', output: 'static-site/src/generated/bank-api-types.ts' },
];

async function renderApiTypes({ document }) {
  const schema = parse(await readFile(path.join(repoRoot, document), 'utf8'));
  const nodes = await openapiTS(schema, { silent: true });
  const header = [
    `// Generated from ${document} by openapi-typescript (npm run gen:api-types). Do not edit: change the`,
    '// document and run the script again; tests/unit/api-types.test.ts checks this file is up to date.',
  ].join('\n');
  return `${header}\n\n${astToString(nodes)}`;
}

const { values } = parseArgs({ options: { print: { type: 'boolean', default: false } } });
const rendered = {};
for (const file of API_TYPE_FILES) rendered[file.output] = await renderApiTypes(file);

if (values.print) {
  process.stdout.write(JSON.stringify(rendered));
} else {
  for (const file of API_TYPE_FILES) {
    await writeFile(path.join(repoRoot, file.output), rendered[file.output]);
    console.log(`[api-types] ${file.document} → ${file.output}`);
  }
}
