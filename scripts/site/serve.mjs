#!/usr/bin/env node
// A tiny static server for the built SPA: GET/HEAD only, no directory traversal, index.html for SPA routes.
// Text files go out compressed (brotli, else gzip, as the browser accepts); assets whose name carries a
// content hash (app-<HASH>.js, chunks/…-<HASH>.js) are cached for a year as immutable, everything else
// (index.html first) is revalidated with its ETag on every use. An optional `handle` answers some
// requests first (npm start mounts the local trace collector's /_local/ routes there), with the same
// security headers.
//
//   node scripts/site/serve.mjs [--dir dist/site] [--port 5000] [--host 127.0.0.1]
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// index.html carries the full policy (with the API origin) in a meta tag; the header adds what a meta tag
// cannot express. Browsers enforce both, so this never loosens the page's policy.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** A name esbuild or the site build hashed: app-3FQ2K7ZB.js, chunks/panel-ABCD1234.js, app-XXXXXXXX.css. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|css)$/;
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.map', '.json', '.svg', '.txt']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

function cacheControlFor(urlPath) {
  return HASHED_ASSET.test(urlPath) ? IMMUTABLE : 'no-cache';
}

/** The encoding to answer with, from Accept-Encoding (q=0 refuses one). */
function pickEncoding(acceptEncoding = '') {
  const accepted = new Map();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}

// Compressed bodies, made once per file version (the built site does not change while served, and a
// rebuild changes mtime or size).
const compressed = new Map();

async function bodyOf(found, encoding) {
  const key = `${found.file}|${found.mtimeMs}|${found.size}|${encoding ?? 'identity'}`;
  let body = compressed.get(key);
  if (body === undefined) {
    const raw = await readFile(found.file);
    body =
      encoding === 'br'
        ? brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : encoding === 'gzip'
          ? gzipSync(raw, { level: 9 })
          : raw;
    if (compressed.size > 200) compressed.clear();
    compressed.set(key, body);
  }
  return body;
}

function isInside(root, candidate) {
  return candidate === root || candidate.startsWith(root + path.sep);
}

/** Maps a URL path to a file under root, or null when it is outside root or not a regular file. */
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (!isInside(root, candidate)) return null;
  try {
    // realpath also defeats a symlink that points out of the folder.
    const real = await realpath(candidate);
    if (!isInside(root, real)) return null;
    const info = await stat(real);
    return info.isFile() ? { file: real, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

function send(res, status, body) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Serves a built site folder.
 * @param {{ dir?: string, port?: number, host?: string,
 *   handle?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean }} options  port 0 picks a free port;
 *   `handle` is tried before the static files, with the security headers already set, and returns true when it answered
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveSite({ dir = path.join(repoRoot, 'dist/site'), port = 5000, host = '127.0.0.1', handle = undefined } = {}) {
  const root = await realpath(path.resolve(dir));
  const index = await resolveFile(root, '/index.html');
  if (!index) throw new Error(`No index.html in ${root}: build the site first (node scripts/site/build.mjs)`);

  const server = http.createServer(async (req, res) => {
    try {
      if (handle) {
        // Set first, so whatever it answers carries the static files' security headers too.
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
        if (handle(req, res)) return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        send(res, 405, 'Method Not Allowed');
        return;
      }
      const { pathname } = new URL(req.url ?? '/', 'http://site.invalid');
      let found = pathname.endsWith('/') ? null : await resolveFile(root, pathname);
      // SPA routes (/history, /result…) have no file: serve index.html. A missing asset stays a 404.
      if (!found && path.posix.extname(pathname) === '') found = await resolveFile(root, '/index.html');
      if (!found) {
        send(res, 404, 'Not Found');
        return;
      }
      const extension = path.extname(found.file).toLowerCase();
      const encoding = COMPRESSIBLE.has(extension) ? pickEncoding(req.headers['accept-encoding']) : null;
      const etag = `"${Math.round(found.mtimeMs).toString(36)}-${found.size.toString(36)}${encoding ? `-${encoding}` : ''}"`;
      const headers = {
        ...SECURITY_HEADERS,
        'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'Cache-Control': cacheControlFor(pathname),
        ETag: etag,
        Vary: 'Accept-Encoding',
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const body = await bodyOf(found, encoding);
      res.writeHead(200, { ...headers, ...(encoding ? { 'Content-Encoding': encoding } : {}), 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  // Loopback and wildcard binds are reached as localhost, the origin the API's CORS settings expect.
  const local = ['127.0.0.1', '::1', '0.0.0.0', '::'].includes(address.address);
  const shownHost = local ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: path.join(repoRoot, 'dist/site') },
      port: { type: 'string', default: process.env.SITE_PORT ?? '5000' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const site = await serveSite({ dir: values.dir, port: Number(values.port), host: values.host });
  console.log(`[site] serving ${values.dir} on ${site.url}`);
  const stop = () => void site.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    const hint = error.code === 'EADDRINUSE' ? ' (port in use: pass --port or set SITE_PORT)' : '';
    console.error(`[site] serve failed: ${error.message}${hint}`);
    process.exit(1);
  });
}
