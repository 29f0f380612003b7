// The worker's requests with a fake wasm module and fake loads: a failed load and a wasm
// trap are reported `fatal` (the page replaces the worker), after a trap the processor is
// never called again and frames are refused, an ordinary error is not fatal, and the
// test hooks exist only in a worker started for them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackdropWorker, isWasmTrap, type Loader } from './backdrop-worker.js';
import type { FromWorker, ToWorker, WorkerOptions } from './protocol.js';
import { WorkerTestHooks } from './test-hooks.js';
import { DEFAULT_OPTIONS } from '../options.js';

const { backgroundImage: _b, maxFrameDelayMs: _m, quality: _q, ...base } = DEFAULT_OPTIONS;
const OPTIONS: WorkerOptions = { ...base, tier: 0 };
const INIT: ToWorker = { type: 'init', build: 'simd', models: { general: 'g.onnx', landscape: 'l.onnx' }, options: OPTIONS };

/** A fake wasm Processor: counts calls; `setOptions` runs `onSetOptions`. */
class FakeProcessor {
  static onSetOptions: () => void = () => {};
  static onConstruct: () => void = () => {};
  calls: string[] = [];
  constructor() {
    FakeProcessor.onConstruct();
  }
  setOptions(): void {
    this.calls.push('setOptions');
    FakeProcessor.onSetOptions();
  }
  testPanicOnNextFrame(): void {
    this.calls.push('testPanicOnNextFrame');
  }
}

/** The model each fake start asked for: the core's `wantedModel` stands in. */
let wanted = 'general';

function setUp({ models = async (urls: string[]) => urls.map(() => new Uint8Array(1)), hooks = null }: {
  models?: Loader['models'];
  hooks?: WorkerTestHooks | null;
} = {}) {
  const posted: FromWorker[] = [];
  const processors: FakeProcessor[] = [];
  const fetched: string[][] = [];
  const loader: Loader = {
    wasm: async () => ({
      wantedModel: (() => wanted) as never,
      Processor: class extends FakeProcessor {
        constructor() {
          super();
          processors.push(this);
        }
      } as never,
    }),
    models: (urls, progress) => {
      fetched.push(urls);
      return models(urls, progress);
    },
  };
  const worker = new BackdropWorker((m) => posted.push(m), hooks, loader);
  return { worker, posted, processors, fetched };
}

const trap = () => new WebAssembly.RuntimeError('unreachable');

class FakeFrame {
  closes = 0;
  close(): void {
    this.closes++;
  }
}

test('a wasm trap is told apart from other errors', () => {
  assert.equal(isWasmTrap(trap()), true);
  assert.equal(isWasmTrap(new Error('unreachable')), false);
  assert.equal(isWasmTrap(new TypeError('bad option')), false);
  assert.equal(isWasmTrap('unreachable'), false);
});

test('a start fetches only the model the core wants first', async () => {
  for (const model of ['general', 'landscape']) {
    wanted = model;
    const { worker, posted, fetched } = setUp();
    await worker.handle(INIT);
    assert.deepEqual(fetched, [[`${model[0]}.onnx`]]);
    assert.equal(posted.at(-1)!.type, 'ready');
  }
  wanted = 'general';
});

test('a failed model load is fatal, with the reason', async () => {
  const { worker, posted } = setUp({ models: async () => { throw new Error('loading g.onnx: HTTP 404'); } });
  await worker.handle(INIT);
  assert.deepEqual(posted, [{ type: 'fatal', message: 'Backdrop could not start: loading g.onnx: HTTP 404' }]);
});

test('a model the core rejects, or a trap while parsing it, is fatal', async () => {
  for (const error of [new Error('model input shape [1, 2] is neither'), trap()]) {
    FakeProcessor.onConstruct = () => { throw error; };
    const { worker, posted } = setUp();
    await worker.handle(INIT);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]!.type, 'fatal');
    assert.match((posted[0] as { message: string }).message, /^Backdrop could not start: /);
  }
  FakeProcessor.onConstruct = () => {};
});

test('a trap while setting options is fatal; afterwards the processor is never called and frames are refused', async () => {
  const { worker, posted, processors } = setUp();
  await worker.handle(INIT);
  assert.equal(posted.at(-1)!.type, 'ready');
  FakeProcessor.onSetOptions = () => { throw trap(); };
  await worker.handle({ type: 'options', options: { ...OPTIONS, blurStrength: 0.2 } });
  FakeProcessor.onSetOptions = () => {};
  assert.deepEqual(posted.at(-1), { type: 'fatal', message: 'the wasm module trapped while setting options (unreachable); its worker is replaced' });
  const calls = processors[0]!.calls.length;
  await worker.handle({ type: 'options', options: OPTIONS });
  const frame = new FakeFrame();
  await worker.handle({ type: 'frame', id: 7, frame: frame as unknown as VideoFrame });
  assert.deepEqual(posted.at(-1), { type: 'frame-error', id: 7, message: 'the wasm module trapped while setting options (unreachable); its worker is replaced' });
  assert.equal(frame.closes, 1, 'the refused frame is closed');
  assert.equal(processors[0]!.calls.length, calls, 'the trapped processor is not called again');
});

test('options the core rejects (no trap) are reported, not fatal', async () => {
  const { worker, posted } = setUp();
  await worker.handle(INIT);
  FakeProcessor.onSetOptions = () => { throw new RangeError('blurStrength must be from 0 to 1'); };
  await worker.handle({ type: 'options', options: OPTIONS });
  FakeProcessor.onSetOptions = () => {};
  assert.deepEqual(posted.at(-1), { type: 'failed', message: 'Backdrop rejected the options: blurStrength must be from 0 to 1' });
});

test('ping is answered with pong, loaded or not', async () => {
  const { worker, posted } = setUp();
  await worker.handle({ type: 'ping' });
  assert.deepEqual(posted, [{ type: 'pong' }]);
});

test('test hooks: ignored by a worker without them; in one with them, a trap armed before the next frame or every frame', async () => {
  const plain = setUp();
  await plain.worker.handle(INIT);
  await plain.worker.handle({ type: 'test-hook', hook: { hook: 'close' } });
  assert.equal(plain.posted.at(-1)!.type, 'ready', 'nothing happens');

  let closed = 0;
  const hooks = new WorkerTestHooks(() => closed++);
  const processor = new FakeProcessor();
  hooks.beforeFrame(processor);
  assert.deepEqual(processor.calls, [], 'no hook: nothing armed');
  hooks.receive({ hook: 'trap', frames: 'next' });
  hooks.beforeFrame(processor);
  hooks.beforeFrame(processor);
  assert.deepEqual(processor.calls, ['testPanicOnNextFrame'], "'next' arms one frame");
  hooks.receive({ hook: 'trap', frames: 'every' });
  hooks.beforeFrame(processor);
  hooks.beforeFrame(processor);
  assert.equal(processor.calls.length, 3, "'every' arms each frame");
  hooks.receive({ hook: 'trap', frames: 'none' });
  hooks.beforeFrame(processor);
  assert.equal(processor.calls.length, 3);
  hooks.receive({ hook: 'close' });
  assert.equal(closed, 1);
});

test('test hooks: a stall blocks the next frame only; a slowdown stretches every frame', () => {
  const hooks = new WorkerTestHooks(() => {});
  const processor = new FakeProcessor();
  hooks.receive({ hook: 'stall', ms: 60 });
  let start = performance.now();
  hooks.beforeFrame(processor);
  assert.ok(performance.now() - start >= 60);
  start = performance.now();
  hooks.beforeFrame(processor);
  assert.ok(performance.now() - start < 30, 'the stall is spent');
  hooks.receive({ hook: 'slowdown', factor: 3 });
  start = performance.now();
  while (performance.now() - start < 20) { /* a 20 ms frame */ }
  hooks.afterFrame(start);
  assert.ok(performance.now() - start >= 60, 'a 20 ms frame costs 3 times as much');
  hooks.receive({ hook: 'slowdown', factor: 50 }); // invalid: reported and ignored
  start = performance.now();
  hooks.afterFrame(start);
  assert.ok(performance.now() - start < 30);
});
