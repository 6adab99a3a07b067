// Preloaded into the serverless-offline processes by the benchmark (NODE_OPTIONS=--require …;
// the bank's and the shop's, each counting its own) to count every HTTP request the AWS SDK sends
// to DynamoDB, per operation and table, the way a proxy in front of DynamoDB Local would, without
// an extra hop on the measured path. Each process serves its counts as JSON (GET /, POST /reset)
// on a free port of 127.0.0.1, which it writes to $BENCH_COUNTER_DIR/<pid>.port.
'use strict';

const http = require('node:http');
const path = require('node:path');
const { writeFileSync } = require('node:fs');

const dir = process.env.BENCH_COUNTER_DIR;
const projectRoot = path.resolve(__dirname, '..', '..');

if (dir && !globalThis.__benchDynamoCounter) {
  globalThis.__benchDynamoCounter = true;
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
          new RegExp(`\\b${attr}\\b`).test(detail.UpdateExpression) || names.some(([alias, name]) => name === attr && detail.UpdateExpression.includes(alias));
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
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () =>
    writeFileSync(path.join(dir, `${process.pid}.port`), String(/** @type {import('node:net').AddressInfo} */ (server.address()).port)),
  );
  server.unref();
}
