import net from 'node:net';
import { testStack } from './env';

export interface RawResponse {
  /** Undefined when the server closed the connection without answering. */
  status: number | undefined;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** True when a second answer followed the first: a request smuggled inside the first was served. */
  smuggled: boolean;
}

/**
 * Sends bytes a well-behaved HTTP client refuses to write (CR, LF or NUL in a header value,
 * a request smuggled behind another) on a fresh connection, and reads the first answer. The
 * request should say `Connection: close`; the answer is read until the server closes.
 */
export function rawHttp(request: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const { port, hostname } = new URL(testStack().apiUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('latin1'))));
  });
}

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: undefined, headers: {}, body: text, smuggled: false };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const rest = Buffer.from(text.slice(end + 4), 'latin1');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: rest.subarray(0, length).toString('utf8'),
    smuggled: rest.subarray(length).toString('latin1').includes('HTTP/1.'),
  };
}
