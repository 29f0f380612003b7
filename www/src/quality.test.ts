// The quality controller on synthetic frame costs, with a simulated clock: when and how
// far it steps, and that it does not oscillate. The browser test
// (tests/e2e/adaptive-quality.test.mjs) checks it on real frames.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityController, STEP_UP_LOAD } from './quality.js';

type Clock = { now: number };

const BUDGET = 1000 / 30;

/**
 * Runs `seconds` of 30 fps input through `controller`; `cost(tier)` is a frame's cost at
 * a tier. Frames arriving while the previous one is still running are dropped, as in
 * the stream path. Returns the tier after each processed frame.
 */
function simulate(controller: QualityController, clock: Clock, seconds: number, cost: (tier: number) => number): number[] {
  const tiers: number[] = [];
  let busyUntil = clock.now;
  const end = clock.now + seconds * 1000;
  for (let i = 0; clock.now < end && i < 100_000; i++) {
    clock.now += BUDGET;
    controller.inputFrame(clock.now);
    if (clock.now < busyUntil) {
      controller.dropped(clock.now);
      continue;
    }
    const tier = controller.tier;
    const ms = cost(tier);
    busyUntil = clock.now + ms;
    tiers.push(controller.processed(tier, ms, BUDGET, clock.now + ms));
  }
  return tiers;
}

/** Costs like this machine's: each tier cheaper than the one above. */
const costs = (scale: number) => (tier: number) => scale * [30, 18, 14, 9, 7][tier]!;

test('stays at full quality with headroom', () => {
  const clock = { now: 0 };
  const c = new QualityController('auto', clock.now);
  const tiers = simulate(c, clock, 10, costs(0.5));
  assert.ok(tiers.every((t) => t === 0), `tiers ${[...new Set(tiers)]}`);
});

test('steps down within a second or two until frames fit, then holds without oscillating', () => {
  const clock = { now: 0 };
  const c = new QualityController('auto', clock.now);
  simulate(c, clock, 0.1, costs(1));
  // 90, 54, 42, 27, 21 ms against a 33 ms interval: tier 3 is the first under 90%.
  const tiers = simulate(c, clock, 4, costs(3));
  assert.equal(c.tier, 3, `tiers ${tiers}`);
  const later = simulate(c, clock, 20, costs(3));
  assert.ok(later.every((t) => t === 3), 'stays at the tier that fits');
  assert.deepEqual(c.state, { tier: 3, name: 'half-rate', auto: true });
  assert.deepEqual(c.costs.map((x) => x !== null), [true, true, true, true, false]);
});

test('steps back up when the load goes, and not above what fits', () => {
  const clock = { now: 0 };
  const c = new QualityController('auto', clock.now);
  simulate(c, clock, 5, costs(3));
  assert.equal(c.tier, 3);
  // Now tier 1 costs 18 ms (54% of the budget), tier 0 30 ms (90%): stop at 1.
  const tiers = simulate(c, clock, 30, costs(1));
  assert.equal(c.tier, 1, `tiers ${[...new Set(tiers)]}`);
  const changes = tiers.filter((t, i) => i > 0 && t !== tiers[i - 1]).length;
  assert.ok(changes <= 4, `${changes} tier changes: it oscillates`);
});

test('a pinned tier never moves, and can be released', () => {
  const clock = { now: 0 };
  const c = new QualityController(2, clock.now);
  simulate(c, clock, 5, costs(4));
  assert.deepEqual(c.state, { tier: 2, name: 'bilinear', auto: false });
  c.setQuality('auto', clock.now);
  simulate(c, clock, 5, costs(4));
  assert.equal(c.tier, 4);
});

test('dropped input frames alone step it down, though the mean cost fits', () => {
  const clock = { now: 0 };
  const c = new QualityController('auto', clock.now);
  // 15 ms frames (45% of the budget), but every other input frame dropped.
  for (let i = 0; i < 60; i++) {
    clock.now += BUDGET;
    c.inputFrame(clock.now);
    if (i % 2) c.dropped(clock.now);
    else c.processed(c.tier, 15, BUDGET, clock.now);
  }
  assert.ok(c.tier > 0, 'stepped down for the drops');
});

test('a frame that ran at an earlier tier does not count for the new one', () => {
  const clock = { now: 0 };
  const c = new QualityController(1, clock.now);
  for (let i = 0; i < 30; i++) c.processed(0, 100, BUDGET, (clock.now += BUDGET));
  assert.deepEqual(c.costs, [null, null, null, null, null]);
});

test('the input rate: null until 5 frames in the last second, then frames per second', () => {
  const c = new QualityController('auto', 0);
  for (let i = 1; i <= 4; i++) c.inputFrame(i * 100);
  assert.equal(c.inputRate(450), null);
  c.inputFrame(500);
  assert.equal(c.inputRate(550), 5);
  assert.equal(c.inputRate(1450), null, 'frames older than a second are forgotten: one is left');
});

test('a step up happens only when the tier above is predicted under STEP_UP_LOAD of the budget', () => {
  assert.ok(STEP_UP_LOAD > 0 && STEP_UP_LOAD < 0.9);
  const clock = { now: 0 };
  const c = new QualityController('auto', clock.now);
  simulate(c, clock, 5, costs(3)); // down to tier 3, with measured ratios
  const ratio = c.costs[2]! / c.costs[3]!;
  // Now tier 3 costs just over what would let tier 2 in: it holds.
  const just = (STEP_UP_LOAD * BUDGET) / ratio;
  simulate(c, clock, 10, (tier) => (tier === 3 ? just * 1.05 : 1000));
  assert.equal(c.tier, 3, 'holds');
  simulate(c, clock, 10, (tier) => (tier === 3 ? just * 0.8 : just * 0.8 * ratio));
  assert.ok(c.tier < 3, 'steps up once predicted to fit');
});
