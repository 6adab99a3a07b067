// A stand-in for DynamoDB in the harness's own process: a node:http server that answers every call
// with a canned DynamoDB JSON body, so a client does its whole per-call work (marshalling, signing,
// the HTTP exchange, parsing) over a real socket. The server's share is measured apart with `bareClient`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedDynamo {
  /** The `endpoint` for a client. */
  endpoint: string;
  /**
   * A bare node:http client sending the last request the server has seen for `operation` (e.g.
   * `PutItem`) again, same headers and body, and resolving with the answer's body: the server's
   * work plus the least a client can do.
   */
  bareClient(operation: string): () => Promise<Buffer>;
  close(): Promise<void>;
}

/** Answers each call with `answers[operation]` (DynamoDB JSON), `{}` for any other operation. */
export async function serveCanned(answers: Record<string, string>): Promise<CannedDynamo> {
  const bodies = new Map(Object.entries(answers).map(([operation, body]) => [operation, Buffer.from(body)]));
  const empty = Buffer.from('{}');
  const seen = new Map<string, { headers: http.OutgoingHttpHeaders; body: Buffer }>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const { connection: _, ...headers } = req.headers;
      seen.set(operation, { headers, body: Buffer.concat(chunks) });
      const body = bodies.get(operation) ?? empty;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': body.length, 'x-amzn-requestid': 'bench' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    bareClient: (operation) => {
      const last = seen.get(operation);
      if (!last) throw new Error(`no ${operation} request seen yet`);
      return () =>
        new Promise((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: last.headers, agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve(Buffer.concat(chunks)));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end(last.body);
        });
    },
    close: () => {
      agent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
