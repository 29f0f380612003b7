// The frame gate with fake frames and a fake clock: one frame in flight, newest wins,
// the deadline, failures, stop; and every frame closed exactly once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameGate, type GateTarget } from './frame-gate.js';

class FakeFrame {
  closes = 0;
  constructor(readonly n: number) {}
  close(): void {
    this.closes++;
  }
}

/** A target whose `process` resolves (or rejects) when the test says, closing the frame as a real sink does. */
function fakeTarget() {
  const processing: { frame: FakeFrame; done: () => void; fail: () => void }[] = [];
  const privacy: (number | null)[] = [];
  const openAtPrivacy: boolean[] = [];
  const target: GateTarget<FakeFrame> = {
    process: (frame) =>
      new Promise<void>((resolve, reject) => {
        processing.push({
          frame,
          done: () => {
            frame.close();
            resolve();
          },
          fail: () => {
            frame.close();
            reject(new Error('failed'));
          },
        });
      }),
    privacy: (late) => {
      privacy.push(late ? late.n : null);
      if (late) openAtPrivacy.push(late.closes === 0);
    },
  };
  return { target, processing, privacy, openAtPrivacy };
}

function setUp(maxFrameDelayMs = 1000) {
  /** The gate's deadline timers, run by `clock.fire()` once `clock.now` has passed them. */
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  const clock = {
    now: 0,
    fire: () => {
      for (const t of timers) {
        if (!t.cancelled && t.at <= clock.now) {
          t.cancelled = true;
          t.run();
        }
      }
    },
  };
  const counts = { arrived: 0, dropped: 0, late: 0 };
  const fake = fakeTarget();
  const gate = new FrameGate(fake.target, {
    arrived: () => counts.arrived++,
    dropped: () => counts.dropped++,
    late: () => counts.late++,
    maxFrameDelayMs: () => maxFrameDelayMs,
  }, () => clock.now, (run, ms) => {
    const timer = { at: clock.now + ms, run, cancelled: false };
    timers.push(timer);
    return () => { timer.cancelled = true; };
  });
  return { gate, clock, counts, ...fake };
}

const frames = (n: number) => Array.from({ length: n }, (_, i) => new FakeFrame(i));
const closedOnce = (all: FakeFrame[]) => all.map((f) => f.closes).every((c) => c === 1);
/** Lets the gate's promise chains run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('one frame in flight: frames that arrive meanwhile wait, the newest wins, older ones are closed and dropped', async () => {
  const { gate, processing, counts } = setUp();
  const f = frames(4);
  await gate.push(f[0]!);
  await gate.push(f[1]!);
  await gate.push(f[2]!);
  await gate.push(f[3]!);
  assert.equal(processing.length, 1, 'only one frame in flight');
  assert.deepEqual(f.map((x) => x.closes), [0, 1, 1, 0], 'the replaced waiting frames are closed at once');
  assert.deepEqual(counts, { arrived: 4, dropped: 2, late: 0 });
  processing[0]!.done();
  await settle();
  assert.equal(processing.length, 2);
  assert.equal(processing[1]!.frame, f[3], 'the newest waiting frame goes next');
  processing[1]!.done();
  await gate.idle();
  assert.ok(closedOnce(f), `closes ${f.map((x) => x.closes)}`);
});

test('a frame that arrives when the one in flight is older than maxFrameDelayMs becomes the privacy frame', async () => {
  const { gate, clock, processing, privacy, openAtPrivacy, counts } = setUp(100);
  const f = frames(3);
  await gate.push(f[0]!);
  clock.now = 50;
  await gate.push(f[1]!); // within the deadline: waits
  clock.now = 101;
  await gate.push(f[2]!); // past it: the privacy frame in its place
  assert.deepEqual(privacy, [2]);
  assert.deepEqual(openAtPrivacy, [true], 'the late frame is open while the privacy frame is made from it');
  assert.equal(f[2]!.closes, 1, 'and closed after');
  assert.deepEqual(counts, { arrived: 3, dropped: 0, late: 1 });
  processing[0]!.done();
  await settle();
  assert.equal(processing[1]!.frame, f[1], 'the frame that waited within the deadline still goes');
  processing[1]!.done();
  await gate.idle();
  assert.ok(closedOnce(f));
});

test('the deadline counts from when the frame in flight started', async () => {
  const { gate, clock, processing, privacy } = setUp(100);
  const f = frames(3);
  await gate.push(f[0]!);
  clock.now = 90;
  processing[0]!.done();
  await settle();
  await gate.push(f[1]!); // starts at 90
  clock.now = 150;
  await gate.push(f[2]!); // 60 ms after: on time
  assert.deepEqual(privacy, []);
  processing[1]!.done();
  await settle();
  processing[2]!.done();
  await gate.idle();
  assert.ok(closedOnce(f));
});

test('a frame that fails to process is replaced by the privacy frame, and the next one goes', async () => {
  const { gate, processing, privacy } = setUp();
  const f = frames(2);
  await gate.push(f[0]!);
  await gate.push(f[1]!);
  processing[0]!.fail();
  await settle();
  assert.deepEqual(privacy, [null]);
  assert.equal(processing[1]!.frame, f[1]);
  processing[1]!.done();
  await gate.idle();
  assert.ok(closedOnce(f));
});

test('stop closes the waiting frame and every later one, and nothing more is processed', async () => {
  const { gate, processing, privacy, counts } = setUp();
  const f = frames(3);
  await gate.push(f[0]!);
  await gate.push(f[1]!);
  gate.stop();
  assert.equal(f[1]!.closes, 1);
  await gate.push(f[2]!);
  assert.equal(f[2]!.closes, 1, 'a frame pushed after stop is closed at once');
  processing[0]!.fail();
  await gate.idle();
  assert.equal(processing.length, 1);
  assert.deepEqual(privacy, [], 'no privacy frame into a stopped output');
  assert.equal(counts.arrived, 2);
  assert.ok(closedOnce(f));
});

test('a long run of frames at random costs: each frame closed exactly once, never two in flight', async () => {
  const { gate, clock, processing } = setUp(100);
  const f = frames(300);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  let finished = 0;
  for (const frame of f) {
    clock.now += 33;
    await gate.push(frame);
    const open = processing.slice(finished);
    assert.ok(open.length <= 1, 'at most one frame in flight');
    if (open.length === 1 && random() < 0.4) {
      open[0]!.done();
      finished++;
      await settle();
    }
  }
  while (processing.length > finished) {
    processing[finished++]!.done();
    await settle();
  }
  await gate.idle();
  assert.ok(closedOnce(f), `frames not closed exactly once: ${f.filter((x) => x.closes !== 1).map((x) => `${x.n}:${x.closes}`)}`);
});

test('a frame in flight past the deadline with nothing arriving: the privacy frame once, counted late; none once it is done in time', async () => {
  const { gate, clock, processing, privacy, counts } = setUp(500);
  const f = frames(3);
  await gate.push(f[0]!);
  clock.now = 400;
  clock.fire();
  assert.deepEqual(privacy, [], 'not yet');
  clock.now = 600;
  clock.fire();
  clock.now = 5000;
  clock.fire();
  assert.deepEqual(privacy, [null], 'one privacy frame at the last size, without any frame arriving');
  assert.equal(counts.late, 1);
  processing[0]!.done();
  await settle();
  // The next frame is done before its deadline: its timer never fires.
  await gate.push(f[1]!);
  clock.now = 5100;
  processing[1]!.done();
  await settle();
  clock.now = 9000;
  clock.fire();
  assert.deepEqual(privacy, [null]);
  // Stopped with a frame in flight: no privacy frame into a stopped output.
  await gate.push(f[2]!);
  gate.stop();
  clock.now = 20_000;
  clock.fire();
  assert.deepEqual(privacy, [null]);
  processing[2]!.done();
  await gate.idle();
  assert.ok(closedOnce(f));
});
