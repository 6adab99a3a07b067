import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../support/processes';

/**
 * The ports the stack and the tests start servers on (scripts/local/ports.mjs): free, never the same
 * twice in one process, and below the range outgoing connections take their local ports from, so that
 * no connection made meanwhile can hold the port when the server comes to listen on it.
 */
const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('freePort', () => {
  it('hands out distinct ports below the outgoing-connection range, each one free to listen on', async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeLessThan(ephemeralStart);
    for (const port of ports.slice(0, 3)) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
