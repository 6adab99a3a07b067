// The shared plumbing every DynamoDB function loads before any code of its own, as the functions
// import it: the logger (Powertools Logger, tracing, zod), the HTTP wrapper (with zod's French
// messages) and the DynamoDB client (aws-lite with its DynamoDB plugin). The bench times its module
// init like a function's: no function that loads these can start faster (BENCHMARKS.md, Bundles and
// cold starts).

export * as dynamo from '../../../lib/dynamo';
export * as http from '../../../lib/http';
export * as logger from '../../../lib/logger';
