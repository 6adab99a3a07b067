// The TOKEN authorizer with nothing but its answer (BENCHMARKS.md, "The skeleton"): allows every
// call, as the bench's skeleton stack needs; no token verification, session check or logging.
// A measuring tool, never deployed.
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  return {
    principalId: 'skeleton',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
  };
}
