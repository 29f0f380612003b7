// Which test hooks are valid, and which a new worker gets again after a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTestHook, outlivesWorker, type TestHook } from './test-hooks.js';

test('valid hooks pass, invalid ones throw an error naming what is wrong', () => {
  for (const hook of [
    { hook: 'slowdown', factor: 1 }, { hook: 'slowdown', factor: 20 }, { hook: 'trap', frames: 'next' },
    { hook: 'trap', frames: 'every' }, { hook: 'trap', frames: 'none' }, { hook: 'stall', ms: 0 }, { hook: 'close' },
  ] as TestHook[]) {
    assert.deepEqual(checkTestHook(hook), hook);
  }
  const bad: [unknown, RegExp][] = [
    [{ hook: 'slowdown', factor: 0.5 }, /slowdown factor must be a number from 1 to 20, got 0.5/],
    [{ hook: 'slowdown', factor: '2' }, /slowdown factor/],
    [{ hook: 'trap', frames: 'all' }, /trap frames must be 'next', 'every' or 'none', got all/],
    [{ hook: 'stall', ms: 60_001 }, /stall ms must be a number from 0 to 60000/],
    [{ hook: 'explode' }, /unknown hook/],
    [null, /unknown hook/],
  ];
  for (const [hook, message] of bad) assert.throws(() => checkTestHook(hook as TestHook), message, JSON.stringify(hook));
});

test('a slowdown and a trap on every frame outlive a worker; one-shot faults do not', () => {
  assert.equal(outlivesWorker({ hook: 'slowdown', factor: 2 }), true);
  assert.equal(outlivesWorker({ hook: 'trap', frames: 'every' }), true);
  assert.equal(outlivesWorker({ hook: 'trap', frames: 'next' }), false);
  assert.equal(outlivesWorker({ hook: 'trap', frames: 'none' }), false);
  assert.equal(outlivesWorker({ hook: 'stall', ms: 10 }), false);
  assert.equal(outlivesWorker({ hook: 'close' }), false);
});
