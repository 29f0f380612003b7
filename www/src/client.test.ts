// The page's side of the worker with fake workers and a fake timer: a crash rejects what
// was in flight and fails closed, a new worker starts after a growing pause with the
// current options and background, a ready worker resets the pause, destroy stops it all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartDelayMs, WorkerClient, type WorkerEvents, type WorkerPort, type WorkerRuntime } from './client.js';
import type { FromWorker, ToWorker, WorkerOptions } from './worker/protocol.js';
import { DEFAULT_OPTIONS, DEFAULT_TEST_HOOKS } from './options.js';

class FakeWorker implements WorkerPort {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

class FakeFrame {
  closes = 0;
  close(): void {
    this.closes++;
  }
}

const { backgroundImage: _b, maxFrameDelayMs: _m, quality: _q, ...base } = { ...DEFAULT_OPTIONS, ...DEFAULT_TEST_HOOKS };
const OPTIONS: WorkerOptions = { ...base, tier: 0 };

function setUp() {
  const workers: FakeWorker[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const runtime: WorkerRuntime = {
    spawn: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    schedule: (run, ms) => void timers.push({ run, ms }),
  };
  const log: string[] = [];
  const events: WorkerEvents = {
    progress: (loaded, total) => log.push(`progress ${loaded}/${total}`),
    ready: (build) => log.push(`ready ${build}`),
    failed: (message) => log.push(`failed ${message}`),
  };
  const client = new WorkerClient('simd', OPTIONS, events, runtime);
  return { client, workers, timers, log };
}

const asFrame = (frame: FakeFrame) => frame as unknown as VideoFrame;

test('restart pauses grow from 0.5 s, doubling, up to 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map(restartDelayMs), [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
});

test('the first worker gets init with the build, the models and the options', () => {
  const { workers } = setUp();
  assert.equal(workers.length, 1);
  const init = workers[0]!.sent[0]!;
  assert.equal(init.type, 'init');
  if (init.type !== 'init') return;
  assert.equal(init.build, 'simd');
  assert.deepEqual(init.options, OPTIONS);
  assert.match(init.models.general, /pkg\/models\/selfie_general\.onnx$/);
  assert.match(init.models.landscape, /pkg\/models\/selfie_landscape\.onnx$/);
});

test('a crash rejects the frames in flight, fails closed, and a new worker starts with the current options and background', async () => {
  const { client, workers, timers, log } = setUp();
  workers[0]!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  assert.equal(client.ready, true);
  const changed = { ...OPTIONS, mode: 'remove' as const, tier: 2 };
  client.setOptions(changed);
  const background = { data: new ArrayBuffer(4), width: 1, height: 1 };
  client.setBackground(background);
  const inFlight = client.process(asFrame(new FakeFrame()));
  workers[0]!.crash('boom');
  await assert.rejects(inFlight, /the worker crashed: boom/);
  assert.equal(workers[0]!.terminated, true);
  assert.equal(client.ready, false);
  assert.deepEqual(log, ['ready simd', 'failed the worker crashed: boom']);

  // While it restarts, a frame is closed and refused (the caller shows the privacy frame).
  const frame = new FakeFrame();
  await assert.rejects(client.process(asFrame(frame)), /restarting/);
  assert.equal(frame.closes, 1);

  assert.deepEqual(timers.map((t) => t.ms), [500]);
  timers[0]!.run();
  assert.equal(workers.length, 2);
  const sent = workers[1]!.sent;
  assert.equal(sent[0]!.type, 'init');
  assert.deepEqual(sent[0]!.type === 'init' && sent[0]!.options, changed);
  assert.deepEqual(sent[1], { type: 'background', image: background });
});

test('a worker that keeps dying waits longer each time, until one is ready', () => {
  const { workers, timers } = setUp();
  for (let i = 0; i < 3; i++) {
    workers.at(-1)!.crash('again');
    timers.at(-1)!.run();
  }
  assert.deepEqual(timers.map((t) => t.ms), [500, 1000, 2000]);
  workers.at(-1)!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  workers.at(-1)!.crash('once more');
  assert.equal(timers.at(-1)!.ms, 500, 'a ready worker resets the pause');
});

test('a message that cannot be read counts as a crash', async () => {
  const { client, workers, timers, log } = setUp();
  const pending = client.process(asFrame(new FakeFrame()));
  workers[0]!.onmessageerror?.();
  await assert.rejects(pending, /could not be read/);
  assert.equal(timers.length, 1);
  assert.match(log.at(-1)!, /^failed a message from the worker could not be read/);
});

test('replies: a processed frame resolves its request, a frame error rejects it, a reply for no request is closed', async () => {
  const { client, workers } = setUp();
  const worker = workers[0]!;
  worker.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const first = client.process(asFrame(new FakeFrame()));
  const second = client.process(asFrame(new FakeFrame()));
  const ids = worker.sent.filter((m) => m.type === 'frame').map((m) => (m.type === 'frame' ? m.id : 0));
  const output = new FakeFrame();
  const timings = { preprocessMs: 1, inferenceMs: 2, refineMs: 3, compositeMs: 4, totalMs: 10 };
  worker.reply({ type: 'frame', id: ids[0]!, frame: asFrame(output), timings, tier: 1, workerMs: 12 });
  const result = await first;
  assert.equal(result.frame, asFrame(output));
  assert.deepEqual([result.tier, result.workerMs], [1, 12]);
  worker.reply({ type: 'frame-error', id: ids[1]!, message: 'bad frame' });
  await assert.rejects(second, /bad frame/);
  const stray = new FakeFrame();
  worker.reply({ type: 'frame', id: 999, frame: asFrame(stray), timings, tier: 0, workerMs: 1 });
  assert.equal(stray.closes, 1);
});

test('destroy rejects what is in flight and no worker starts again', async () => {
  const { client, workers, timers } = setUp();
  workers[0]!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const pending = client.process(asFrame(new FakeFrame()));
  client.destroy();
  await assert.rejects(pending, /destroyed/);
  assert.equal(workers[0]!.terminated, true);
  const again = setUp();
  again.workers[0]!.crash('boom');
  again.client.destroy();
  again.timers[0]!.run();
  assert.equal(again.workers.length, 1, 'no restart after destroy');
  assert.equal(timers.length, 0);
  assert.equal(workers.length, 1, 'no restart after destroy');
});
