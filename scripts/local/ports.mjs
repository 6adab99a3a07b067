import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Listens on host:port and closes again at once.
 * @returns {Promise<NodeJS.ErrnoException | null>} null when it could listen, else the error it met
 */
function tryListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', resolve);
    server.listen(port, host, () => server.close(() => resolve(null)));
  });
}

/** Resolves when nothing listens on host:port; rejects with a clear message otherwise. */
export async function assertPortFree(port, host = '127.0.0.1', what = 'a service') {
  const error = await tryListen(port, host);
  if (!error) return;
  throw new Error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is already in use (needed for ${what}). Stop what is using it, or choose another port (see README, Configuration).`
      : `Cannot listen on ${host}:${port} for ${what}: ${error.message}`,
  );
}

/** The lowest port freePort hands out. */
const FIRST_PORT = 10_000;
/** Ports this process has handed out: two services started together never get the same one. */
const handedOut = new Set();

/**
 * A port free right now, for a server that will listen on it a few seconds later, taken below the
 * range the OS gives outgoing connections their local ports from: a port from `listen(0)` lies in that
 * range, and until the server listens, any outgoing connection (the stack's own, to DynamoDB Local or
 * the bank) may take it and make the server fail with EADDRINUSE. Where that range cannot be read, or
 * leaves no room below it, a port from `listen(0)`.
 * @returns {Promise<number>}
 */
export async function freePort(host = '127.0.0.1') {
  const below = ephemeralPortsStart();
  for (let attempt = 0; below > FIRST_PORT + 1000 && attempt < 100; attempt++) {
    const port = FIRST_PORT + randomInt(below - FIRST_PORT);
    if (handedOut.has(port) || !(await portIsFree(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  return anyFreePort(host);
}

/** The first port of the OS's range for outgoing connections (Linux), or 0 when unknown. */
function ephemeralPortsStart() {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 0;
  } catch {
    return 0;
  }
}

/**
 * Whether something may listen on host:port right now.
 * @returns {Promise<boolean>}
 */
export async function portIsFree(port, host = '127.0.0.1') {
  return (await tryListen(port, host)) === null;
}

/** @returns {Promise<number>} */
function anyFreePort(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
