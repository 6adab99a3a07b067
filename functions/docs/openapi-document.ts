/** The OpenAPI document as the API serves it: operations marked `x-local-only` exist on local stages only. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function documentForStage(document: OpenApiDocument, localStage: boolean): OpenApiDocument {
  if (localStage) return document;
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const kept = Object.entries(item).filter(([key, operation]) => !(METHODS.has(key) && isLocalOnly(operation)));
    if (kept.some(([key]) => METHODS.has(key))) paths[path] = Object.fromEntries(kept);
  }
  return { ...document, paths };
}

const isLocalOnly = (operation: unknown): boolean =>
  typeof operation === 'object' && operation !== null && (operation as Record<string, unknown>)['x-local-only'] === true;
