// A small static file server for the demo and the browser tests. Loopback only.
//
//   node scripts/serve.mjs [--root DIR] [--port N] [--host 127.0.0.1]
//
// It prints one line, `Backdrop demo: http://HOST:PORT/`, once it listens. With --port 0
// the system picks a free port (the tests do this). Every response carries the strict
// Content-Security-Policy the package promises to work under, so the demo proves it.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '..', 'www') },
    port: { type: 'string', default: process.env.PORT ?? '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    index: { type: 'string', default: '/demo/' },
  },
});

const root = resolve(args.root);
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.ts': 'text/plain; charset=utf-8',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "style-src 'self'",
  "connect-src 'self'",
].join('; ');

function resolvePath(urlPath) {
  const decoded = decodeURIComponent(urlPath.split('?')[0]);
  const path = normalize(join(root, decoded));
  if (path !== root && !path.startsWith(root + sep)) return null; // no escaping the root
  return path;
}

const server = createServer((req, res) => {
  if (req.url === '/' || req.url === '') {
    res.writeHead(302, { Location: args.index }).end();
    return;
  }
  let path = resolvePath(req.url ?? '/');
  let stat;
  try {
    stat = path && statSync(path);
    if (stat && stat.isDirectory()) {
      path = join(path, 'index.html');
      stat = statSync(path);
    }
  } catch {
    stat = null;
  }
  if (!path || !stat || !stat.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  createReadStream(path).pipe(res);
});

server.listen(Number(args.port), args.host, () => {
  const { port } = server.address();
  console.log(`Backdrop demo: http://${args.host}:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
