// The benchmark's static server: the repository's bench/, www/ and models/build/images/
// on loopback. Unlike scripts/serve.mjs it sends no Content-Security-Policy, because the
// peers' runtimes are measured as their own documentation loads them.
//
//   node bench/serve.mjs [--port N]
//
// Prints `Backdrop bench: http://127.0.0.1:PORT/` once it listens.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const ROOT = resolve(import.meta.dirname, '..');
const SERVED = ['bench', 'www', join('models', 'build', 'images')].map((dir) => join(ROOT, dir) + sep);
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm',
  '.png': 'image/png', '.data': 'application/octet-stream', '.binarypb': 'application/octet-stream',
  '.tflite': 'application/octet-stream', '.onnx': 'application/octet-stream',
};

function fileFor(url) {
  const path = normalize(join(ROOT, decodeURIComponent(url.split('?')[0])));
  const file = path.endsWith(sep) ? join(path, 'index.html') : path;
  if (!SERVED.some((dir) => file.startsWith(dir))) return null;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return fileFor(`${url.split('?')[0]}/`);
    return stat.isFile() ? { file, size: stat.size, etag: `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"` } : null;
  } catch {
    return null;
  }
}

const server = createServer((req, res) => {
  const found = fileFor(req.url ?? '/');
  if (!found) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  // Revalidated on every use, as a static server's default (an ETag, then 304 Not
  // Modified): a warm start reads the browser's cache, and Chromium's cache of compiled
  // wasm code with it.
  const headers = {
    'Content-Type': MIME[extname(found.file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    ETag: found.etag,
  };
  if (req.headers['if-none-match'] === found.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': found.size });
  createReadStream(found.file).pipe(res);
});

server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`Backdrop bench: http://127.0.0.1:${server.address().port}/`);
});
