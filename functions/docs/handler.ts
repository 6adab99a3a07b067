import { createHttpHandler, json, plainRoute } from '../../lib/http';
import openApiYaml from '../../openapi.yaml';
import { type DocsConfig, readDocsConfig } from './config';
import { documentForStage, type OpenApiDocument } from './openapi-document';

/** Serves `document` as it stands on the configured stage (local-only operations removed elsewhere). */
export function createDocsHandler(document: OpenApiDocument, config: DocsConfig) {
  // Filtered once per container: the document does not change between requests.
  const served = documentForStage(document, config.localStage);
  return createHttpHandler(
    { 'GET /api/openapi.json': plainRoute(async () => json(200, served)) },
    {
      functionName: 'docs',
      corsOrigin: config.corsOrigin,
    },
  );
}

export const handler = createDocsHandler(openApiYaml as OpenApiDocument, readDocsConfig());
