import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as z from 'zod/mini';
import { flagFromEnv, intFromEnv, LOCAL_STAGES, readConfig } from './config';

const schema = z.object({ TABLE: z.string(), COUNT: intFromEnv(3, 1, 10), ON: flagFromEnv(false) });

describe('readConfig', () => {
  it('applies defaults and coerces values', () => {
    expect(readConfig(schema, { TABLE: 't', COUNT: '7', ON: 'true' })).toEqual({ TABLE: 't', COUNT: 7, ON: true });
    expect(readConfig(schema, { TABLE: 't' })).toEqual({ TABLE: 't', COUNT: 3, ON: false });
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig(schema, { TABLE: 't', COUNT: '' })).toMatchObject({ COUNT: 3 });
    expect(() => readConfig(schema, { TABLE: '' })).toThrow('TABLE environment variable is not set');
  });

  it('names each bad variable', () => {
    expect(() => readConfig(schema, { COUNT: '99', ON: 'maybe' })).toThrow(
      /TABLE environment variable is not set; COUNT environment variable is invalid: .*; ON environment variable is invalid/,
    );
  });
});

describe('LOCAL_STAGES', () => {
  it.each(['serverless.yml', 'bank/serverless.yml'])('names exactly the stages %s builds as local', (file) => {
    // Prepare: the yml cannot import the constant, so its one copy is checked here.
    const text = readFileSync(path.join(__dirname, '..', file), 'utf8');
    const stageKinds = /^\s*stageKinds:\s*\{([^}]*)\}/m.exec(text)?.[1] ?? '';

    // Act
    const local = [...stageKinds.matchAll(/([\w-]+):\s*local\b/g)].map((match) => match[1]);

    // Assess
    expect(local.sort()).toEqual([...LOCAL_STAGES].sort());
  });
});
