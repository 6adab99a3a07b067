import * as z from 'zod/mini';
import { isLocalStage, readConfig } from '../../lib/config';

/** The docs function's variables. */
export const docsEnvSchema = z.object({ STAGE: z.string().check(z.minLength(1)), CORS_ORIGIN: z.optional(z.string()) });

export function readDocsConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = readConfig(docsEnvSchema, env);
  return { localStage: isLocalStage(parsed.STAGE), corsOrigin: parsed.CORS_ORIGIN };
}

export type DocsConfig = ReturnType<typeof readDocsConfig>;
