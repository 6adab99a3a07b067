import * as z from 'zod/mini';

/**
 * Reads environment variables once, through a zod schema, and fails fast with the
 * variable's name. Each service declares its own schema; adapters receive the parsed
 * values and never read `process.env` themselves. An empty variable counts as unset
 * (serverless.yml can only write `''` for "no value on this stage").
 */
export function readConfig<S extends z.ZodMiniObject>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(set);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return set[name] === undefined ? `${name} environment variable is not set` : `${name} environment variable is invalid: ${issue.message}`;
  });
  throw new Error(problems.join('; '));
}

/** An integer read from a string variable, within bounds, with a default. */
export const intFromEnv = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

/** A number read from a string variable, within bounds, with a default. */
export const numberFromEnv = (fallback: number, min: number, max: number) => z._default(z.coerce.number().check(z.gte(min), z.lte(max)), fallback);

/** A "true"/"false"/"1"/"0" flag, with a default. */
export const flagFromEnv = (fallback: boolean) =>
  z.pipe(
    z.optional(z.enum(['true', 'false', '1', '0'])),
    z.transform((value: 'true' | 'false' | '1' | '0' | undefined) => (value === undefined ? fallback : value === 'true' || value === '1')),
  );

/** Stages that run on a developer's machine: demo data and fault controls exist only there. */
export const LOCAL_STAGES: readonly string[] = ['local', 'test'];

export const isLocalStage = (stage: string): boolean => LOCAL_STAGES.includes(stage);
