import http from 'node:http';
import https from 'node:https';

/** What the bank client sends: a method, headers, a JSON body, and the breaker's timeout signal. */
export interface BankRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** What the bank client reads of an answer. `fetch` answers fit too (the tests script the bank with it). */
export interface BankResponse {
  status: number;
  text(): Promise<string>;
}

export type BankTransport = (url: string, request: BankRequest) => Promise<BankResponse>;

// One pool of kept-alive connections per container, as `fetch` keeps one per origin.
const agents: Record<string, http.Agent> = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * The bank call over node:http(s). `fetch` (undici and its web streams) spent about three times the CPU
 * per call for the same exchange (BENCHMARKS.md, "What changed"); the order path makes one or two per order.
 * The whole body is read before the promise resolves, so the connection goes back to the pool at once.
 */
export const httpTransport: BankTransport = (url, { method, headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const agent = agents[target.protocol];
    if (!agent) {
      reject(new TypeError(`bank URL must be http or https: ${target.protocol}`));
      return;
    }
    const send = target.protocol === 'https:' ? https.request : http.request;
    const request = send(
      target,
      { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent, signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, text: async () => text });
        });
        // Cut short (aborted, connection reset) without an end: say so rather than wait forever.
        response.on('close', () => {
          if (!response.complete) reject(new Error('bank answer cut short'));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
