// The ceiling of one HTTP hop on this machine: a bare node:http server, in its own
// process like the stack, answering every request with a small JSON body.
// Prints `listening <port>` once ready; stopped by its parent with SIGTERM.
import http from 'node:http';

const body = JSON.stringify({ status: 'ok', message: 'bare node http' });
const server = http.createServer((req, res) => {
  // Drain the request body (the order runs POST one) before answering.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${/** @type {import('node:net').AddressInfo} */ (server.address()).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
