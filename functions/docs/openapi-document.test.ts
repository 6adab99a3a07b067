import { describe, expect, it } from '@jest/globals';
import bankOpenApiYaml from '../../bank/openapi.yaml';
import openApiYaml from '../../openapi.yaml';
import { documentForStage, type OpenApiDocument } from './openapi-document';

const document = openApiYaml as OpenApiDocument;
/** The bank's document has local-only operations (its fault controls); the shop's has none left. */
const bankDocument = bankOpenApiYaml as OpenApiDocument;

describe('documentForStage', () => {
  it('serves the whole document on a local stage', () => {
    expect(documentForStage(document, true)).toBe(document);
  });

  it('leaves out the local-only operations (the bank fault controls) on a deployed stage, and nothing else', () => {
    // Act
    const deployed = documentForStage(bankDocument, false);

    // Assess
    expect(deployed.paths['/bank/faults']).toBeUndefined();
    expect(Object.keys(deployed.paths)).toEqual(Object.keys(bankDocument.paths).filter((path) => path !== '/bank/faults'));
    expect(deployed.paths['/bank/pay']).toEqual(bankDocument.paths['/bank/pay']);
    expect(deployed.components).toBe(bankDocument.components);
  });

  it('serves the shop’s whole document on a deployed stage too: it has no local-only operation', () => {
    expect(documentForStage(document, false).paths).toEqual(document.paths);
  });

  it('keeps a path whose other operations are not local-only', () => {
    const mixed: OpenApiDocument = {
      openapi: '3.1.0',
      paths: { '/x': { summary: 's', get: { 'x-local-only': true }, post: { operationId: 'kept' } } },
    };
    expect(documentForStage(mixed, false).paths).toEqual({ '/x': { summary: 's', post: { operationId: 'kept' } } });
  });
});
