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

// One pool of kept-alive connections per container, as `fetch` keeps one per origin. With a
// `timeout`, Node also honours the server's `Keep-Alive: timeout=N` hint and drops an idle connection
// a second before the server would; without one it keeps it until the server closes it.
const keepAlive = { keepAlive: true, timeout: 30_000 };
const agents: Record<string, http.Agent> = { 'http:': new http.Agent(keepAlive), 'https:': new https.Agent(keepAlive) };

/**
 * The bank call over node:http(s). `fetch` (undici and its web streams) spent about three times the CPU
 * per call for the same exchange (BENCHMARKS.md); the order path makes one or two per order.
 * The whole body is read before the promise resolves, so the connection goes back to the pool at once.
 * A kept-alive connection the server closed just as it was reused fails with ECONNRESET before any
 * answer: that call is sent once more on a new connection (Node's documented remedy), which is safe
 * because every bank call is idempotent (a payment is keyed by its order id).
 */
export const httpTransport: BankTransport = (url, request) => send(url, request, true);

function send(url: string, bankRequest: BankRequest, mayRetry: boolean): Promise<BankResponse> {
  const { method, headers, body, signal } = bankRequest;
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const agent = agents[target.protocol];
    if (!agent) {
      reject(new TypeError(`bank URL must be http or https: ${target.protocol}`));
      return;
    }
    let answered = false;
    const request = (target.protocol === 'https:' ? https.request : http.request)(
      target,
      { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent, signal },
      (response) => {
        answered = true;
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
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (mayRetry && !answered && request.reusedSocket && error.code === 'ECONNRESET' && !signal?.aborted) {
        resolve(send(url, bankRequest, false));
        return;
      }
      reject(error);
    });
    request.end(body);
  });
}
