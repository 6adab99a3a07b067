import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type * as z from 'zod/mini';
import { bankEnvSchema } from '../../bank/src/config';
import { authEnvSchema } from '../../functions/auth/config';
import { tokenEnvSchema } from '../../functions/auth/tokens';
import { authorizerEnvSchema } from '../../functions/authorizer/config';
import { docsEnvSchema } from '../../functions/docs/config';
import { ordersEnvSchema } from '../../functions/orders/config';
import { dynamoEnvSchema } from '../../lib/dynamo';
import { tracingEnvSchema } from '../../lib/trace';

/**
 * docs/configuration.md holds the one configuration table: a row per variable, the variable as
 * `` `NAME` `` in the first column, its default in the third (`—` for none). This test keeps it
 * true to the code: every variable the functions' env schemas and the local starter read has a
 * row, every row names a variable something reads, and a default in the table is the code's.
 */
const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

const SCHEMAS: Record<string, z.ZodMiniObject> = {
  orders: ordersEnvSchema,
  bank: bankEnvSchema,
  auth: authEnvSchema,
  tokens: tokenEnvSchema,
  authorizer: authorizerEnvSchema,
  docs: docsEnvSchema,
  dynamo: dynamoEnvSchema,
  tracing: tracingEnvSchema,
};

/** The local starter's modules: `npm start` and a plain `serverless offline start` read these. */
const STARTER_FILES = [
  'scripts/start.mjs',
  ...readdirSync(path.join(root, 'scripts/local'))
    .filter((name) => /\.(mjs|cjs)$/.test(name))
    .map((name) => `scripts/local/${name}`),
];

interface Row {
  name: string;
  /** Undefined when the table says there is none (`—`). */
  defaultText: string | undefined;
}

function tableRows(): Row[] {
  const rows: Row[] = [];
  for (const line of read('docs/configuration.md').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // `| \`NAME\` | read by | default | meaning |` → ['', '`NAME`', …, '']
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const cell = cells[3] ?? '';
    rows.push({ name, defaultText: cell === '' || cell === '—' ? undefined : cell });
  }
  return rows;
}

/** The value a schema gives a variable left unset; undefined when it has none (required or optional). */
function schemaDefault(schema: z.ZodMiniObject, name: string): unknown {
  const field = schema.shape[name] as z.ZodMiniType;
  const parsed = field.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

/** Variables the starter reads, with the default it gives when the code states one as a literal. */
function starterVariables(): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const file of STARTER_FILES) {
    const text = read(file);
    for (const match of text.matchAll(/(?:portFromEnv|flagFromEnv|intEnv|flag)\(\s*(?:[\w.]+,\s*)?'([A-Z][A-Z0-9_]+)'(?:,\s*(\d+)\s*\))?/g)) {
      found.set(match[1] as string, match[2]);
    }
    for (const match of text.matchAll(/\b(?:process\.)?env\.([A-Z][A-Z0-9_]+)\b/g)) {
      if (!found.has(match[1] as string)) found.set(match[1] as string, undefined);
    }
  }
  return found;
}

/** Every file in which a variable may be read or passed: the code, the starters and scripts, the two serverless.yml. */
function sourceTexts(): string {
  const texts: string[] = [read('serverless.yml'), read('bank/serverless.yml')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (/\.(ts|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) texts.push(read(relative));
    }
  };
  for (const dir of ['functions', 'bank/src', 'lib', 'scripts', 'tests/browser']) walk(dir);
  return texts.join('\n');
}

const rows = tableRows();
const byName = new Map(rows.map((row) => [row.name, row]));

describe('docs/configuration.md', () => {
  it('has one row per variable', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.name).filter((name, index, all) => all.indexOf(name) !== index)).toEqual([]);
  });

  const schemaVariables = Object.entries(SCHEMAS).flatMap(([service, schema]) => Object.keys(schema.shape).map((name) => [name, service, schema] as const));

  it.each(schemaVariables)('documents %s (read by the %s config)', (name, _service, schema) => {
    const row = byName.get(name);
    expect(row).toBeDefined();
    const fallback = schemaDefault(schema, name);
    // A default in the code is shown, and a default shown is the code's.
    expect(row?.defaultText).toBe(fallback === undefined ? undefined : `\`${String(fallback)}\``);
  });

  it.each([...starterVariables()])('documents %s (read by the local starter)', (name, fallback) => {
    const row = byName.get(name);
    expect(row).toBeDefined();
    if (fallback !== undefined) expect(row?.defaultText).toBe(`\`${fallback}\``);
  });

  it('names only variables that something reads', () => {
    const texts = sourceTexts();
    const unknown = rows.map((row) => row.name).filter((name) => !new RegExp(`\\b${name}\\b`).test(texts));
    expect(unknown).toEqual([]);
  });
});
