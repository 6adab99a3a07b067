// Preloaded into the serverless-offline process by the benchmark (NODE_OPTIONS=--require …)
// to count every HTTP request the AWS SDK sends to DynamoDB, per operation and table, the way
// a proxy in front of DynamoDB Local would, without an extra hop on the measured path.
// The counts are served as JSON on 127.0.0.1:$BENCH_COUNTER_PORT (GET /, POST /reset).
'use strict';

const http = require('node:http');
const path = require('node:path');

const port = Number(process.env.BENCH_COUNTER_PORT);
const projectRoot = path.resolve(__dirname, '..', '..');

if (port > 0) {
  let counts = {};
  let largestWriteBytes = 0;

  const add = (operation, table, kind, n = 1) => {
    const key = `${operation} ${table} ${kind}`;
    counts[key] = (counts[key] ?? 0) + n;
  };

  // Global secondary indexes per table ({ table: [[hashAttr, rangeAttr?], …] }): a write that
  // puts, changes or removes an index key also writes the index, and is billed for it.
  const indexKeys = JSON.parse(process.env.BENCH_INDEX_KEYS || '{}');
  const indexWrites = (table, detail) => {
    let n = 0;
    for (const attrs of indexKeys[table] ?? []) {
      if (detail.Item) {
        if (attrs.every((attr) => attr in detail.Item)) n++;
      } else if (typeof detail.UpdateExpression === 'string') {
        const names = Object.entries(detail.ExpressionAttributeNames ?? {});
        const touched = (attr) =>
          new RegExp(`\\b${attr}\\b`).test(detail.UpdateExpression) ||
          names.some(([alias, name]) => name === attr && detail.UpdateExpression.includes(alias));
        if (attrs.some(touched)) n++;
      }
    }
    return n;
  };

  const record = (target, body) => {
    const operation = target.split('.')[1] ?? target;
    let input;
    try {
      input = JSON.parse(typeof body === 'string' ? body : Buffer.from(body ?? '').toString('utf8'));
    } catch {
      input = {};
    }
    if (operation === 'TransactWriteItems') {
      // Each item of a transaction is billed twice (prepare + commit): counted per item.
      for (const item of input.TransactItems ?? []) {
        const [kind, detail] = Object.entries(item)[0] ?? ['?', {}];
        add(`TransactWriteItems/${kind}`, detail.TableName, 'write');
        const gsi = indexWrites(detail.TableName, detail);
        if (gsi) add(`TransactWriteItems/${kind}`, detail.TableName, 'index-write', gsi);
      }
      add(operation, '-', 'request');
      return;
    }
    if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') {
      largestWriteBytes = Math.max(largestWriteBytes, JSON.stringify(input.Item ?? input.Key ?? {}).length);
      add(operation, input.TableName, 'write');
      const gsi = indexWrites(input.TableName, input);
      if (gsi) add(operation, input.TableName, 'index-write', gsi);
      return;
    }
    const consistent = input.ConsistentRead === true ? 'strong' : 'eventual';
    add(operation, input.TableName ?? '-', `read-${consistent}`);
  };

  // One copy of @smithy/node-http-handler serves every SDK client in the process.
  const handlerPath = require.resolve('@smithy/node-http-handler', {
    paths: [path.dirname(require.resolve('@aws-sdk/client-dynamodb', { paths: [projectRoot] }))],
  });
  const { NodeHttpHandler } = require(handlerPath);
  const original = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = function handle(request, options) {
    const target = request?.headers?.['x-amz-target'] ?? request?.headers?.['X-Amz-Target'];
    if (typeof target === 'string' && target.startsWith('DynamoDB_')) record(target, request.body);
    return original.call(this, request, options);
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/reset') {
      counts = {};
      largestWriteBytes = 0;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ counts, largestWriteBytes }));
  });
  // Only the first process that loads this file serves the counts; children simply count nothing.
  server.on('error', () => {});
  server.listen(port, '127.0.0.1');
  server.unref();
}
