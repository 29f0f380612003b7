// The stage timings: copied by name, averaged per stage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanTimings, STAGES, stageTimings } from './timings.js';

const frame = (x: number) => ({ preprocessMs: x, inferenceMs: 2 * x, refineMs: 3 * x, compositeMs: 4 * x, totalMs: 10 * x });

test('stageTimings copies every stage out of an object with getters, nothing else', () => {
  const wasmLike = { ...frame(1), free() {} };
  const copied = stageTimings(wasmLike);
  assert.deepEqual(Object.keys(copied), [...STAGES]);
  assert.deepEqual(copied, frame(1));
});

test('meanTimings: per stage; zeros for no frames', () => {
  assert.deepEqual(meanTimings([frame(1), frame(3)]), frame(2));
  assert.deepEqual(meanTimings([]), frame(0));
});
