// AWS cost of one million orders from measured durations, memory sizes and request units.
// Region us-east-1 (N. Virginia), x86 Lambda, list prices without free tier.
export const PRICES = {
  region: 'us-east-1',
  // AWS list prices as documented in 2025; not fetched at run time: check them before quoting a cost.
  asOf: '2025',
  source:
    'aws.amazon.com/lambda/pricing, /api-gateway/pricing, /dynamodb/pricing/on-demand; the DynamoDB on-demand rates are those in force since the 2024-11-01 reduction',
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerMillionRequests: 0.2,
  restApiPerMillionRequests: 3.5, // first 333 million a month
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
};

/**
 * @param {object} flow
 * @param {{ name: string, memoryMb: number, meanMs: number, invocationsPerOrder: number }[]} flow.functions
 * @param {{ name: string, requestsPerOrder: number }[]} flow.apis  API Gateway REST APIs and their
 *   requests per order (the shop's API, then the bank's: a separate API of its own stack, same price)
 * @param {number} flow.wruPerOrder
 * @param {number} flow.rruPerOrder
 */
export function costPerMillionOrders({ functions, apis, wruPerOrder, rruPerOrder }) {
  const million = 1_000_000;
  const lambdaCompute = functions.reduce(
    // Lambda bills each invocation's duration rounded up to the next millisecond.
    (sum, fn) => sum + fn.invocationsPerOrder * million * (Math.ceil(fn.meanMs) / 1000) * (fn.memoryMb / 1024) * PRICES.lambdaPerGbSecond,
    0,
  );
  const lambdaRequests = functions.reduce((sum, fn) => sum + fn.invocationsPerOrder, 0) * PRICES.lambdaPerMillionRequests;
  const apiGatewayByApi = Object.fromEntries(apis.map((api) => [api.name, api.requestsPerOrder * PRICES.restApiPerMillionRequests]));
  const apiGateway = Object.values(apiGatewayByApi).reduce((a, b) => a + b, 0);
  const dynamo = wruPerOrder * PRICES.dynamoPerMillionWru + rruPerOrder * PRICES.dynamoPerMillionRru;
  return { lambdaCompute, lambdaRequests, apiGateway, apiGatewayByApi, dynamo, total: lambdaCompute + lambdaRequests + apiGateway + dynamo };
}
