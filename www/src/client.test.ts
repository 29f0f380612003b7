// The page's side of the worker with fake workers and a fake clock: a crash, a `fatal`
// report (failed load, wasm trap) or a silent worker (the watchdog) rejects what was in
// flight and fails closed, a new worker starts after a growing pause with the current
// options, background and lasting test hooks, a processed frame resets the pause, and
// destroy stops it all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartDelayMs, WATCHDOG, WorkerClient, type WorkerEvents, type WorkerPort, type WorkerRuntime } from './client.js';
import type { FromWorker, ToWorker, WorkerOptions } from './worker/protocol.js';
import { DEFAULT_OPTIONS } from './options.js';

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

const { backgroundImage: _b, maxFrameDelayMs: _m, quality: _q, ...base } = DEFAULT_OPTIONS;
const OPTIONS: WorkerOptions = { ...base, tier: 0 };

function setUp() {
  const workers: FakeWorker[] = [];
  /** Restarts scheduled (run by hand). */
  const timers: { run: () => void; ms: number }[] = [];
  const clock = { now: 0, ticks: [] as (() => void)[], stopped: 0 };
  const runtime: WorkerRuntime = {
    spawn: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    schedule: (run, ms) => void timers.push({ run, ms }),
    repeat: (run, ms) => {
      assert.equal(ms, WATCHDOG.intervalMs);
      clock.ticks.push(run);
      return () => clock.stopped++;
    },
    now: () => clock.now,
  };
  /** Moves the clock on by `ms`, running the watchdog once per interval. */
  const advance = (ms: number) => {
    for (let t = 0; t < ms; t += WATCHDOG.intervalMs) {
      clock.now += WATCHDOG.intervalMs;
      for (const tick of clock.ticks) tick();
    }
  };
  const log: string[] = [];
  const events: WorkerEvents = {
    progress: (loaded, total) => log.push(`progress ${loaded}/${total}`),
    ready: (build) => log.push(`ready ${build}`),
    model: (model, ms) => log.push(`model ${model} ${ms}`),
    failed: (message) => log.push(`failed ${message}`),
  };
  const client = new WorkerClient('simd', OPTIONS, events, runtime);
  return { client, workers, timers, log, clock, advance };
}

const TIMINGS = { preprocessMs: 1, inferenceMs: 2, refineMs: 3, compositeMs: 4, totalMs: 10 };

/** The ids of the frames sent to `worker`. */
const frameIds = (worker: FakeWorker) => worker.sent.flatMap((m) => (m.type === 'frame' ? [m.id] : []));

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

test("the camera's size goes to the worker at once, and before init to a replaced one", () => {
  const { client, workers, timers } = setUp();
  client.setSource(1280, 720);
  assert.deepEqual(workers[0]!.sent.at(-1), { type: 'source', width: 1280, height: 720 });
  workers[0]!.crash('boom');
  timers[0]!.run();
  assert.deepEqual(workers[1]!.sent.slice(0, 2).map((m) => m.type), ['source', 'init']);
  assert.deepEqual(workers[1]!.sent[0], { type: 'source', width: 1280, height: 720 });
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

test('a worker that keeps dying waits longer each time, also when it got ready, until one processes a frame', async () => {
  const { client, workers, timers } = setUp();
  for (let i = 0; i < 3; i++) {
    workers.at(-1)!.crash('again');
    timers.at(-1)!.run();
  }
  assert.deepEqual(timers.map((t) => t.ms), [500, 1000, 2000]);
  // Ready, then fatal on its first frame (a wasm trap): no reset.
  workers.at(-1)!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  workers.at(-1)!.reply({ type: 'fatal', message: 'the wasm module trapped' });
  assert.equal(timers.at(-1)!.ms, 4000, 'a ready worker that processed nothing does not reset the pause');
  timers.at(-1)!.run();
  const worker = workers.at(-1)!;
  worker.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const frame = client.process(asFrame(new FakeFrame()));
  worker.reply({ type: 'frame', id: frameIds(worker)[0]!, frame: asFrame(new FakeFrame()), timings: TIMINGS, tier: 0, model: 'general', modelMissing: false, workerMs: 9 });
  await frame;
  worker.crash('once more');
  assert.equal(timers.at(-1)!.ms, 500, 'a worker that processed a frame resets the pause');
});

test('a fatal report (a failed load, a wasm trap) replaces the worker: in-flight frames rejected with the reason, the reason reported', async () => {
  const { client, workers, timers, log } = setUp();
  workers[0]!.reply({ type: 'fatal', message: 'Backdrop could not start: loading x.onnx: HTTP 404' });
  assert.equal(workers[0]!.terminated, true);
  assert.deepEqual(log, ['failed Backdrop could not start: loading x.onnx: HTTP 404']);
  assert.deepEqual(timers.map((t) => t.ms), [500]);
  timers[0]!.run();
  const worker = workers[1]!;
  assert.equal(worker.sent[0]!.type, 'init', 'the load is retried in a new worker');
  worker.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const inFlight = client.process(asFrame(new FakeFrame()));
  worker.reply({ type: 'fatal', message: 'the wasm module trapped in the middle of a frame (unreachable)' });
  await assert.rejects(inFlight, /trapped in the middle of a frame/);
  assert.equal(client.ready, false);
  assert.equal(log.at(-1), 'failed the wasm module trapped in the middle of a frame (unreachable)');
});

test('the watchdog replaces a worker that stops answering, and leaves a slow but live one alone', async () => {
  const { client, workers, timers, log, advance } = setUp();
  const worker = workers[0]!;
  // Loading: pings answered (fetching), then the worker is busy parsing for 10 s: still under the loading limit.
  advance(3000);
  const pings = () => worker.sent.filter((m) => m.type === 'ping').length;
  assert.equal(pings(), 1, 'one ping at a time');
  worker.reply({ type: 'pong' });
  advance(1000);
  assert.equal(pings(), 2);
  advance(10_000);
  assert.equal(timers.length, 0, 'a worker silent for less than the loading limit is left alone');
  worker.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  // Running: answers every ping for a while.
  for (let i = 0; i < 10; i++) {
    advance(WATCHDOG.intervalMs);
    worker.reply({ type: 'pong' });
  }
  assert.equal(timers.length, 0);
  // Then it goes silent (terminated from outside, or closed itself: no error event).
  const inFlight = client.process(asFrame(new FakeFrame()));
  advance(WATCHDOG.runningMs + 2 * WATCHDOG.intervalMs);
  await assert.rejects(inFlight, /the worker stopped answering \(no reply for \d+ ms\)/);
  assert.equal(worker.terminated, true);
  assert.match(log.at(-1)!, /^failed the worker stopped answering/);
  assert.deepEqual(timers.map((t) => t.ms), [500]);
});

test('the watchdog replaces a live worker that leaves a frame unanswered', async () => {
  const { client, workers, timers, advance } = setUp();
  const worker = workers[0]!;
  worker.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const lost = client.process(asFrame(new FakeFrame()));
  for (let t = 0; t <= WATCHDOG.runningMs; t += WATCHDOG.intervalMs) {
    advance(WATCHDOG.intervalMs);
    worker.reply({ type: 'pong' });
  }
  advance(WATCHDOG.intervalMs);
  await assert.rejects(lost, /stopped answering/);
  assert.equal(timers.length, 1);
});

test('messages of a replaced worker are ignored', () => {
  const { client, workers, timers, log } = setUp();
  const old = workers[0]!;
  old.crash('boom');
  timers[0]!.run();
  old.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  old.reply({ type: 'fatal', message: 'late' });
  assert.equal(client.ready, false);
  assert.equal(timers.length, 1);
  assert.deepEqual(log, ['failed the worker crashed: boom']);
});

test('test hooks: sent to the worker; the lasting ones (slowdown, a trap on every frame) again to the next worker', () => {
  const { client, workers, timers } = setUp();
  client.testHook({ hook: 'slowdown', factor: 3 });
  client.testHook({ hook: 'trap', frames: 'every' });
  client.testHook({ hook: 'stall', ms: 100 });
  const hooks = (w: FakeWorker) => w.sent.flatMap((m) => (m.type === 'test-hook' ? [m.hook] : []));
  assert.deepEqual(hooks(workers[0]!), [{ hook: 'slowdown', factor: 3 }, { hook: 'trap', frames: 'every' }, { hook: 'stall', ms: 100 }]);
  workers[0]!.crash('trapped');
  timers[0]!.run();
  assert.deepEqual(hooks(workers[1]!), [{ hook: 'slowdown', factor: 3 }, { hook: 'trap', frames: 'every' }]);
  client.testHook({ hook: 'trap', frames: 'none' });
  client.testHook({ hook: 'slowdown', factor: 1 });
  workers[1]!.crash('again');
  timers[1]!.run();
  assert.deepEqual(hooks(workers[2]!), [{ hook: 'slowdown', factor: 1 }], 'a cleared trap is not sent again');
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
  const timings = TIMINGS;
  worker.reply({ type: 'frame', id: ids[0]!, frame: asFrame(output), timings, tier: 1, model: 'landscape', modelMissing: false, workerMs: 12 });
  const result = await first;
  assert.equal(result.frame, asFrame(output));
  assert.deepEqual([result.tier, result.workerMs], [1, 12]);
  worker.reply({ type: 'frame-error', id: ids[1]!, message: 'bad frame' });
  await assert.rejects(second, /bad frame/);
  const stray = new FakeFrame();
  worker.reply({ type: 'frame', id: 999, frame: asFrame(stray), timings, tier: 0, model: 'general', modelMissing: false, workerMs: 1 });
  assert.equal(stray.closes, 1);
});

test("a frame from a worker already replaced or destroyed is closed, not lost", () => {
  const { client, workers, timers } = setUp();
  workers[0]!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  workers[0]!.crash('boom');
  timers[0]!.run();
  const late = new FakeFrame();
  workers[0]!.reply({ type: 'frame', id: 1, frame: asFrame(late), timings: TIMINGS, tier: 0, model: 'general', modelMissing: false, workerMs: 1 });
  assert.equal(late.closes, 1, 'from the replaced worker');
  client.destroy();
  const afterDestroy = new FakeFrame();
  workers[1]!.reply({ type: 'frame', id: 2, frame: asFrame(afterDestroy), timings: TIMINGS, tier: 0, model: 'general', modelMissing: false, workerMs: 1 });
  assert.equal(afterDestroy.closes, 1, 'from the destroyed one');
});

test('destroy rejects what is in flight, stops the watchdog, and no worker starts again', async () => {
  const { client, workers, timers, clock } = setUp();
  workers[0]!.reply({ type: 'ready', build: 'simd', loadMs: 5 });
  const pending = client.process(asFrame(new FakeFrame()));
  client.destroy();
  await assert.rejects(pending, /destroyed/);
  assert.equal(workers[0]!.terminated, true);
  assert.equal(clock.stopped, 1, 'the watchdog is stopped');
  const again = setUp();
  again.workers[0]!.crash('boom');
  again.client.destroy();
  again.timers[0]!.run();
  assert.equal(again.workers.length, 1, 'no restart after destroy');
  assert.equal(timers.length, 0);
  assert.equal(workers.length, 1, 'no restart after destroy');
});
