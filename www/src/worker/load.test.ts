// Downloads in the worker (load.ts: fetchAll, through watchedFetch): a slow one that keeps
// delivering completes; one that stops delivering (before the headers, or in the middle
// of the body) fails after the stall limit with a message naming the URL; an HTTP error
// says its status.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchAll } from './load.js';

const STALL = 300;
const BODY = new Uint8Array(4000).map((_, i) => i % 251);
let server: Server;
let base = '';
const open = new Set<ServerResponse>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  server = createServer(async (req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const headers = { 'Content-Length': String(BODY.length) };
    switch (req.url) {
      case '/slow': // the whole body, a chunk every STALL / 3
        res.writeHead(200, headers);
        for (let i = 0; i < BODY.length && !res.destroyed; i += 500) {
          res.write(BODY.subarray(i, i + 500));
          await sleep(STALL / 3);
        }
        res.end();
        return;
      case '/hang-body': // a part of the body, then silence
        res.writeHead(200, headers);
        res.write(BODY.subarray(0, 1000));
        return;
      case '/hang-headers': // nothing at all
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  for (const res of open) res.destroy();
  server.close();
});

test('a slow download that keeps delivering is not a stall', async () => {
  const seen: number[] = [];
  const [bytes] = await fetchAll([`${base}/slow`], (loaded) => seen.push(loaded), STALL);
  assert.deepEqual(bytes, BODY);
  assert.ok(seen.length >= 4, `progress along the way: ${seen.join(', ')}`);
  assert.equal(seen.at(-1), BODY.length);
});

for (const [what, path] of [['a body that stops coming', '/hang-body'], ['headers that never come', '/hang-headers']]) {
  test(`${what} fails after the stall limit, naming the URL`, async () => {
    const started = Date.now();
    await assert.rejects(fetchAll([`${base}${path}`], () => {}, STALL), {
      message: `loading ${base}${path}: no data for ${STALL} ms`,
    });
    assert.ok(Date.now() - started >= STALL - 20, 'not before the limit');
  });
}

test('an HTTP error says its status', async () => {
  await assert.rejects(fetchAll([`${base}/missing`], () => {}, STALL), { message: `loading ${base}/missing: HTTP 404` });
});
