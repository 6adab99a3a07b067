// A DynamoDB client whose HTTP handler answers from memory: the SDK's whole per-call work (middleware,
// marshalling, signing, parsing) runs, without a socket or a server.
import { Readable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Answers each call with `answerFor(operation)` (e.g. `GetItem`), a DynamoDB JSON body. */
export function answerFromMemory(client: DynamoDBClient, answerFor: (operation: string) => string): DynamoDBClient {
  // The SDK reads `requestHandler` from the resolved config at each send.
  (client.config as unknown as { requestHandler: unknown }).requestHandler = {
    handle: async (request: { headers: Record<string, string> }) => {
      const body = answerFor((request.headers['x-amz-target'] ?? '').split('.')[1] ?? '');
      return {
        response: {
          statusCode: 200,
          reason: 'OK',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(body)), 'x-amzn-requestid': 'bench' },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return client;
}
