// The second model: fetched once, the first time a frame wants it, handed over once for
// the worker to parse between frames; a failure is reported and tried again only after
// RETRY_MS; the model the worker started with is never fetched again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LaterModels, RETRY_MS, isModelName } from './later-models.js';

const URLS = { general: 'g.onnx', landscape: 'l.onnx' };

function setUp(fetch: (url: string) => Promise<Uint8Array>) {
  const fetched: string[] = [];
  const warnings: string[] = [];
  let clock = 0;
  const later = new LaterModels(URLS, 'general', {
    fetch: (url) => {
      fetched.push(url);
      return fetch(url);
    },
    warn: (m) => warnings.push(m),
    now: () => clock,
  });
  return { later, fetched, warnings, advance: (ms: number) => (clock += ms) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('the missing model is fetched once and handed over once', async () => {
  const { later, fetched, warnings } = setUp(async () => new Uint8Array([1, 2, 3]));
  later.want(undefined);
  later.want('general');
  assert.deepEqual(fetched, [], 'nothing missing, or the one loaded at the start: no fetch');
  assert.deepEqual(later.take(), []);
  later.want('landscape');
  later.want('landscape');
  assert.deepEqual(fetched, ['l.onnx'], 'one fetch for many frames');
  await settle();
  assert.deepEqual(later.take(), [{ name: 'landscape', bytes: new Uint8Array([1, 2, 3]) }]);
  assert.deepEqual(later.take(), [], 'handed over once');
  later.want('landscape');
  assert.deepEqual(fetched, ['l.onnx']);
  assert.deepEqual(warnings, []);
});

test('a failed fetch is reported and tried again after the pause, not before', async () => {
  let fail = true;
  const { later, fetched, warnings, advance } = setUp(async (url) => {
    if (fail) throw new Error(`loading ${url}: HTTP 404`);
    return new Uint8Array([9]);
  });
  later.want('landscape');
  await settle();
  assert.deepEqual(later.take(), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /the landscape model is not available \(loading l\.onnx: HTTP 404\); frames keep using the loaded model/);
  advance(RETRY_MS - 1);
  later.want('landscape');
  assert.equal(fetched.length, 1, 'not before the pause');
  fail = false;
  advance(1);
  later.want('landscape');
  assert.equal(fetched.length, 2);
  await settle();
  assert.deepEqual(later.take().map((a) => a.name), ['landscape']);
});

test('a model the core could not parse is tried again after the pause', async () => {
  const { later, fetched, warnings, advance } = setUp(async () => new Uint8Array([0]));
  later.want('landscape');
  await settle();
  later.take();
  later.failed('landscape', 'the 1 bytes given are not a readable ONNX model');
  assert.match(warnings[0]!, /not a readable ONNX model/);
  later.want('landscape');
  assert.equal(fetched.length, 1);
  advance(RETRY_MS);
  later.want('landscape');
  assert.equal(fetched.length, 2);
});

test('model names', () => {
  assert.equal(isModelName('general'), true);
  assert.equal(isModelName('landscape'), true);
  assert.equal(isModelName('auto'), false);
  assert.equal(isModelName(undefined), false);
});
