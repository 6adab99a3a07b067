// What the Lambda Node.js runtime has already loaded when it loads a function's handler, so that a
// cold start measured here charges the function only for what it adds. The runtime interface client
// (github.com/aws/aws-lambda-nodejs-runtime-interface-client, src/index.mjs) patches the console and
// builds its Runtime API client before `UserFunction.load`: node:http with a kept-alive Agent
// (RAPIDClient.js), node:net (ResponseStream.js), util and fs (LogPatch.js), assert
// (InvokeContext.js) and path (UserFunction.js).
exports.loadRuntimeModules = () => {
  const http = require('node:http');
  new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (const name of ['node:net', 'node:util', 'node:fs', 'node:assert', 'node:path']) require(name);
};
