import * as z from 'zod/mini';
import { isLocalStage, readConfig } from '../../lib/config';
import { createHttpHandler, json, plainRoute } from '../../lib/http';
import openApiYaml from '../../openapi.yaml';
import { documentForStage, type OpenApiDocument } from './openapi-document';

const config = readConfig(z.object({ STAGE: z.string().check(z.minLength(1)), CORS_ORIGIN: z.optional(z.string()) }));
// Filtered once per container: the document does not change between requests.
const document = documentForStage(openApiYaml as OpenApiDocument, isLocalStage(config.STAGE));

export const handler = createHttpHandler(
  { 'GET /api/openapi.json': plainRoute(async () => json(200, document)) },
  { corsOrigin: config.CORS_ORIGIN },
);
