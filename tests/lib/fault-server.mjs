// A loopback proxy in front of a static server (lib/harness.mjs) that answers chosen
// paths badly, for the fault tests (e2e/faults.test.mjs): an HTTP error, the right bytes
// served slowly, a body cut short (with or without an honest Content-Length), a body that
// stops and hangs with the connection open, other bytes (given, or another path's).
// Every other request, and a faulty path once its fault has been served `times` times, is
// passed through unchanged.

import { createServer, request } from 'node:http';
import { pipeline } from 'node:stream';

/**
 * @typedef {{kind: 'status', status: number}
 *   | {kind: 'slow', bytesPerSecond: number}
 *   | {kind: 'truncate', keep: number, honestLength: boolean}
 *   | {kind: 'hang', keep: number}
 *   | {kind: 'bytes', body: Uint8Array}
 *   | {kind: 'other', path: string}} Fault
 */

/** Reads `path` from the upstream server in full. */
async function fetchUpstream(upstream, path) {
  const response = await fetch(new URL(path, upstream));
  if (!response.ok) throw new Error(`fault proxy: upstream ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves `bytes` at about `bytesPerSecond`, in tenth-of-a-second chunks; stops if the client goes. */
async function serveSlowly(res, bytes, bytesPerSecond) {
  const chunk = Math.max(1, Math.round(bytesPerSecond / 10));
  for (let offset = 0; offset < bytes.length && !res.destroyed; offset += chunk) {
    res.write(bytes.subarray(offset, offset + chunk));
    await sleep(100);
  }
  res.end();
}

/**
 * Starts the proxy on a free loopback port. Returns `{url, fail(pathEnd, fault, times),
 * clear(), served, stop()}`: `fail` makes requests whose path ends with `pathEnd` get
 * `fault` the next `times` times (Infinity: until `clear`); `served[pathEnd]` counts the
 * faulty answers given (`clear` resets the rules and the counts).
 */
export async function startFaultProxy(upstream) {
  /** @type {Map<string, {fault: Fault, left: number}>} */
  const rules = new Map();
  const served = {};
  const cache = new Map();
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const entry = [...rules.entries()].find(([end, rule]) => path.endsWith(end) && rule.left > 0);
    if (!entry) {
      // No keep-alive to the upstream, and a response the client abandons ends the upstream
      // one too: nothing stays open once the browser and the proxy are gone.
      const forward = request(new URL(req.url ?? '/', upstream), { method: req.method, headers: { ...req.headers, connection: 'close' }, agent: false }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        pipeline(up, res, () => undefined);
      });
      forward.on('error', (err) => res.destroy(err));
      res.on('close', () => forward.destroy());
      req.pipe(forward);
      return;
    }
    const [end, rule] = entry;
    rule.left--;
    served[end] = (served[end] ?? 0) + 1;
    const { fault } = rule;
    const headers = { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' };
    try {
      if (fault.kind === 'status') {
        res.writeHead(fault.status, { ...headers, 'Content-Type': 'text/plain' }).end(`fault proxy: ${fault.status}\n`);
        return;
      }
      if (fault.kind === 'bytes') {
        res.writeHead(200, { ...headers, 'Content-Length': fault.body.length }).end(fault.body);
        return;
      }
      const source = fault.kind === 'other' ? fault.path : path;
      if (!cache.has(source)) cache.set(source, await fetchUpstream(upstream, source));
      const bytes = cache.get(source);
      if (fault.kind === 'other') {
        res.writeHead(200, { ...headers, 'Content-Length': bytes.length }).end(bytes);
        return;
      }
      if (fault.kind === 'slow') {
        res.writeHead(200, { ...headers, 'Content-Length': bytes.length });
        await serveSlowly(res, bytes, fault.bytesPerSecond);
        return;
      }
      if (fault.kind === 'hang') {
        // The first `keep` share, then nothing: the connection stays open, silent, until the
        // client gives up or the proxy stops.
        res.writeHead(200, { ...headers, 'Content-Length': bytes.length });
        res.write(bytes.subarray(0, Math.floor(bytes.length * fault.keep)));
        return;
      }
      // truncate: the first `keep` share of the bytes; a dishonest length announces them all.
      const kept = bytes.subarray(0, Math.floor(bytes.length * fault.keep));
      res.writeHead(200, { ...headers, 'Content-Length': fault.honestLength ? kept.length : bytes.length });
      if (fault.honestLength) {
        res.end(kept);
        return;
      }
      // The connection drops mid-body, once the bytes sent have reached the client (a
      // connection closed before any byte would just be retried by the browser).
      res.write(kept, () => setTimeout(() => res.destroy(), 200));
    } catch (err) {
      res.destroy(err);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/`,
    served,
    fail(pathEnd, fault, times = Infinity) {
      rules.set(pathEnd, { fault, left: times });
    },
    clear() {
      rules.clear();
      for (const key of Object.keys(served)) delete served[key];
    },
    stop() {
      server.closeAllConnections();
      server.close();
    },
  };
}
