// Preloaded into the serverless-offline processes by the benchmark (NODE_OPTIONS=--require …;
// the bank's and the shop's, each counting its own) to count every HTTP request sent to DynamoDB,
// per operation and table, the way a proxy in front of DynamoDB Local would, without an extra hop
// on the measured path. It wraps node:http's `request`, which the functions' DynamoDB client
// (aws-lite, bundled into each function) calls with the signed request's headers (X-Amz-Target:
// DynamoDB_20120810.<operation>) and its JSON body as `options.body`. Each process serves its counts
// as JSON (GET /, POST /reset) on a free port of 127.0.0.1, which it writes to
// $BENCH_COUNTER_DIR/<pid>.port.
'use strict';

const http = require('node:http');
const path = require('node:path');
const { writeFileSync } = require('node:fs');

const dir = process.env.BENCH_COUNTER_DIR;

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

  /** The header `name` (lower case) of request options, whatever its case there; headers may be an object or a flat [name, value, …] list. */
  const header = (headers, name) => {
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return headers[i + 1];
      return undefined;
    }
    for (const key in headers ?? {}) if (key.toLowerCase() === name) return headers[key];
    return undefined;
  };

  // request(url | options[, options][, callback]): the options are the object argument that is not a URL.
  // Every module gets this same object from require('node:http'), so the bundles see the wrapper.
  const original = http.request;
  http.request = function request(...args) {
    const options = args.find((arg, i) => i < 2 && arg !== null && typeof arg === 'object' && !(arg instanceof URL));
    const target = options && header(options.headers, 'x-amz-target');
    if (typeof target === 'string' && target.startsWith('DynamoDB_')) record(target, options.body);
    return original.apply(this, args);
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
