import { describe, expect, it } from '@jest/globals';
import openApiYaml from '../../openapi.yaml';
import { documentForStage, type OpenApiDocument } from './openapi-document';

const document = openApiYaml as OpenApiDocument;

describe('documentForStage', () => {
  it('serves the whole document on a local stage', () => {
    expect(documentForStage(document, true)).toBe(document);
  });

  it('leaves out the local-only operations (the bank fault controls) on a deployed stage, and nothing else', () => {
    // Act
    const deployed = documentForStage(document, false);

    // Assess
    expect(deployed.paths['/bank/faults']).toBeUndefined();
    expect(Object.keys(deployed.paths)).toEqual(Object.keys(document.paths).filter((path) => path !== '/bank/faults'));
    expect(deployed.paths['/api/orders']).toEqual(document.paths['/api/orders']);
    expect(deployed.components).toBe(document.components);
  });

  it('keeps a path whose other operations are not local-only', () => {
    const mixed: OpenApiDocument = {
      openapi: '3.1.0',
      paths: { '/x': { summary: 's', get: { 'x-local-only': true }, post: { operationId: 'kept' } } },
    };
    expect(documentForStage(mixed, false).paths).toEqual({ '/x': { summary: 's', post: { operationId: 'kept' } } });
  });
});
