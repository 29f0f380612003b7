// Adaptive quality: on a slowed-down worker (the package's `slowdown` test hook,
// www/src/worker/test-hooks.ts, makes every frame cost N times its real cost, as on an N
// times slower CPU) Backdrop
// steps down its quality tier within a few seconds, the output frame rate recovers to at
// least 90% of the camera's, the background stays the removal colour at every sampled
// moment (no raw frame during tier changes), and it steps back up once the slowdown ends.
// A pinned tier stays put. Prints each tier's measured cost per frame.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordProblems } from '../lib/browser.mjs';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import { frameRates, openHarness, setOptions, stats, testHook } from '../lib/harness.mjs';
import { REPO_ROOT } from '../lib/server.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

// The controller's step-up threshold, from the package itself (not restated here).
const { STEP_UP_LOAD } = await import(pathToFileURL(resolve(REPO_ROOT, 'www', 'dist', 'quality.js')).href);

const MAGENTA = [255, 0, 255];
/** How much slower the simulated CPU is; by default chosen from the measured costs. */
const SLOWDOWN = process.env.BACKDROP_SLOWDOWN ? Number(process.env.BACKDROP_SLOWDOWN) : null;
const QUALITY_LAST = 4;
const MEASURE_ROUNDS = 4;
const CAMERA_FPS = 15;

const env = useServerAndBrowser('harness');

/** The background corners are the removal colour (processed or privacy frame, never camera pixels). */
async function backgroundIsRemoved(page) {
  const left = await sampleVideo(page, '#processed', REGIONS.backgroundTopLeft, MAGENTA);
  const right = await sampleVideo(page, '#processed', REGIONS.backgroundTopRight, MAGENTA);
  return { ok: left?.fraction > 0.95 && right?.fraction > 0.95, left: left?.fraction, right: right?.fraction };
}

/** Waits for `until(stats)` while checking the background at every poll; returns the last stats and the samples. */
async function watch(page, until, { timeoutMs, what, required = true }) {
  const samples = [];
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    const s = await stats(page);
    const background = await backgroundIsRemoved(page);
    samples.push({ tier: s.quality.tier, ...background });
    assert.ok(background.ok, `raw background at tier ${s.quality.tier}: ${JSON.stringify(background)}`);
    if (until(s)) return { stats: s, samples };
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!required) return { stats: await stats(page), samples };
  throw new Error(`${what} did not happen within ${timeoutMs} ms; tiers seen: ${samples.map((s) => s.tier).join(',')}`);
}

function describeCosts(s) {
  return s.tierCostsMs.map((c, i) => `${i}: ${c === null ? '-' : `${c.toFixed(1)} ms`}`).join(', ');
}

test('the cheapest tier costs well under the full one; every tier\'s cost printed', async () => {
  // Pinned, each tier in turn: the measured worker cost per frame (ms).
  const page = await openHarness(env.browser, env.server.url, { source: 'camera', mode: 'remove', color: '#ff00ff', quality: 0 });
  const problems = recordProblems(page);
  await eventually(async () => {
    const s = await stats(page);
    return { ok: s.framesProcessed > 15 && (await backgroundIsRemoved(page)).ok, s };
  }, { what: 'processed frames', timeoutMs: 40_000 });
  // Two rounds, keeping each tier's lowest mean: the machine is shared, and other work
  // only ever adds to a frame's cost.
  const best = [];
  for (let round = 0; round < 2; round++) {
    for (let tier = 0; tier <= QUALITY_LAST; tier++) {
      await setOptions(page, { quality: tier });
      const { stats: s } = await watch(page, () => false, { timeoutMs: 2500, what: `tier ${tier}`, required: false });
      const st = s.stages;
      console.log(`# round ${round} tier ${tier} (${s.quality.name}): worker ${s.tierCostsMs[tier]?.toFixed(1)} ms/frame; core stages (mean of 30): preprocess ${st.preprocessMs.toFixed(1)}, inference ${st.inferenceMs.toFixed(1)}, refine ${st.refineMs.toFixed(1)}, composite ${st.compositeMs.toFixed(1)}, total ${st.totalMs.toFixed(1)} ms; ${s.fps} fps`);
      best[tier] = Math.min(best[tier] ?? Infinity, s.tierCostsMs[tier] ?? Infinity);
    }
  }
  console.log(`# tier costs pinned, best of 2 (worker ms per frame, 640x480 camera): ${describeCosts({ tierCostsMs: best })}`);
  assert.ok(best.every((c) => c > 0 && Number.isFinite(c)), `every tier measured: ${best}`);
  assert.ok(best[QUALITY_LAST] < 0.6 * best[0], `the cheapest tier saves at least 40%: ${best}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a slow worker steps down, keeps the frame rate, never shows the background, and steps back up', async () => {
  // The camera at 15 fps: a frame interval (the controller's budget) long enough that,
  // once the slowdown ends, the tier above wherever the controller settled fits well
  // inside it on any machine where the test means something, the 2-core CI machine under
  // load included (its tiers have measured up to 38 ms at full quality, and the cheaper
  // tiers differ little: copies and compositing cost the same at every tier).
  const page = await openHarness(env.browser, env.server.url, { source: 'camera', mode: 'remove', color: '#ff00ff', frameRate: CAMERA_FPS, testHooks: true });
  const problems = recordProblems(page);
  await eventually(async () => {
    const s = await stats(page);
    const person = await sampleVideo(page, '#processed', REGIONS.person, MAGENTA);
    const background = await backgroundIsRemoved(page);
    return { ok: s.framesProcessed > 30 && background.ok && person?.fraction < 0.05, s, person };
  }, { what: 'processed frames', timeoutMs: 40_000 });

  // Every tier's cost on this machine now (best of two rounds: it is shared, and other
  // work only ever adds to a frame's cost). Then the most expensive tier j whose cost
  // leaves room for a step back up to it (under the controller's step-up share of the
  // frame interval, with a margin), such that the cheapest tier fits well once j costs the
  // interval and more; the slowdown makes it cost that. Slowed, every tier up to j is over
  // budget and the cheapest fits, so the controller must settle below j; once the
  // slowdown ends, the tier above it costs no more than j did, and a step up is due by the
  // controller's own rule. The test finds such a tier rather than assuming one.
  const normalRates = await frameRates(page, 1500);
  const budget = 1000 / normalRates.input;
  // Slowed, j costs 1.3 intervals: well over the controller's step-down share, also when
  // a frame costs less than the best measured here (costs vary by ±15% on a shared machine).
  const slowdownFor = (j) => Math.min(20, Math.max(1.2, (1.3 * budget) / measured[j]));
  const pickTarget = () => {
    for (let j = 0; j < QUALITY_LAST; j++) {
      if (measured[j] < 0.85 * STEP_UP_LOAD * budget && slowdownFor(j) * measured[QUALITY_LAST] < 0.7 * budget) return j;
    }
    return null;
  };
  // At least two rounds, at most MEASURE_ROUNDS: other work on a shared machine (seen: a
  // second browser test run beside this one made every tier 1.8x dearer) passes, and a
  // later round's lower costs are the machine's own.
  const measured = [];
  let target = null;
  for (let round = 0; round < MEASURE_ROUNDS && (round < 2 || target === null); round++) {
    for (let tier = 0; tier <= QUALITY_LAST; tier++) {
      await setOptions(page, { quality: tier });
      const { stats: s } = await watch(page, () => false, { timeoutMs: 2000, what: 'measuring', required: false });
      measured[tier] = Math.min(measured[tier] ?? Infinity, s.tierCostsMs[tier] ?? Infinity);
    }
    target = pickTarget();
  }
  console.log(`# unthrottled costs ${describeCosts({ tierCostsMs: measured })}, input ${normalRates.input.toFixed(1)} fps; target tier ${target}`);
  assert.ok(target !== null, `no tier leaves room for a step up on this machine now (budget ${budget.toFixed(1)} ms): ${describeCosts({ tierCostsMs: measured })}`);
  const slowdown = SLOWDOWN ?? slowdownFor(target);
  console.log(`# slowdown ${slowdown.toFixed(2)}x: tier ${target} then costs about ${(slowdown * measured[target]).toFixed(1)} ms, the cheapest ${(slowdown * measured[QUALITY_LAST]).toFixed(1)} ms`);
  await setOptions(page, { quality: 0 });
  await watch(page, (s) => s.tierCostsMs[0] !== null && s.framesProcessed > 0, { timeoutMs: 3000, what: 'tier 0 running', required: false });

  // The machine slows down while at full quality, and quality becomes automatic.
  const slowStart = Date.now();
  await testHook(page, { hook: 'slowdown', factor: slowdown });
  await setOptions(page, { quality: 'auto' });
  const down = await watch(page, (s) => s.quality.tier > 0, { timeoutMs: 6000, what: 'a step down' });
  console.log(`# ${slowdown.toFixed(2)}x slower: stepped down to tier ${down.stats.quality.tier} after ${Date.now() - slowStart} ms`);
  // Let it find its tier (bounded), then the output must keep up with the input.
  let settledAt = down.stats.quality.tier;
  await watch(page, (s) => {
    const same = s.quality.tier === settledAt;
    settledAt = s.quality.tier;
    return same && Date.now() - slowStart > 6000;
  }, { timeoutMs: 12_000, what: 'settling at a tier' });
  const slowRates = await frameRates(page, 3000);
  const slow = await stats(page);
  console.log(`# ${slowdown.toFixed(2)}x slower: tier ${slow.quality.tier} (${slow.quality.name}) after ${Date.now() - slowStart} ms, input ${slowRates.input?.toFixed(1)} fps, output ${slowRates.output.toFixed(1)} fps; costs ${describeCosts(slow)}`);
  assert.ok(slowRates.input > 0.8 * CAMERA_FPS, `the camera runs at ${slowRates.input} fps`);
  assert.ok(
    slowRates.output >= 0.9 * slowRates.input,
    `output ${slowRates.output.toFixed(1)} fps is under 90% of the input's ${slowRates.input.toFixed(1)} fps at tier ${slow.quality.tier}`,
  );
  assert.ok(slow.quality.auto);
  assert.ok(slow.quality.tier > target, `settled at tier ${slow.quality.tier}, not below tier ${target}, which costs the whole frame interval slowed down`);

  const fastStart = Date.now();
  await testHook(page, { hook: 'slowdown', factor: 1 });
  const up = await watch(page, (s) => s.quality.tier < slow.quality.tier, { timeoutMs: 20_000, what: 'a step up' });
  console.log(`# slowdown removed: stepped up to tier ${up.stats.quality.tier} after ${Date.now() - fastStart} ms`);
  const final = await stats(page);
  assert.equal(final.state, 'running');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a pinned tier stays put under load; bad quality values are rejected', async () => {
  const page = await openHarness(env.browser, env.server.url, { source: 'camera', mode: 'remove', color: '#ff00ff', quality: 2, testHooks: true });
  const problems = recordProblems(page);
  const tiers = await page.evaluate(() => window.harness.module.QUALITY_TIERS.map((t) => t.name));
  assert.deepEqual(tiers, ['full', 'landscape', 'bilinear', 'half-rate', 'third-rate']);
  await eventually(async () => {
    const s = await stats(page);
    return { ok: s.framesProcessed > 15 && (await backgroundIsRemoved(page)).ok, s };
  }, { what: 'processed frames', timeoutMs: 40_000 });
  await testHook(page, { hook: 'slowdown', factor: 4 });
  await new Promise((r) => setTimeout(r, 3000));
  const s = await stats(page);
  assert.deepEqual(s.quality, { tier: 2, name: 'bilinear', auto: false });
  assert.ok((await backgroundIsRemoved(page)).ok);

  const errors = await page.evaluate(async () => {
    const b = window.harness.session.backdrop;
    const out = [];
    for (const quality of [5, -1, 1.5, 'fast', null]) {
      try {
        await b.setOptions({ quality });
        out.push('accepted');
      } catch (e) {
        out.push(`${e.constructor.name}: ${e.message}`);
      }
    }
    window.harness.session.hooks.send({ hook: 'slowdown', factor: 1 });
    await b.setOptions({ quality: 'auto' });
    return { out, quality: b.stats().quality };
  });
  assert.match(errors.out[0], /^RangeError: .*quality.*0 to 4.*5/);
  assert.match(errors.out[1], /^RangeError/);
  assert.match(errors.out[2], /^RangeError/);
  assert.match(errors.out[3], /^TypeError: .*quality/);
  assert.match(errors.out[4], /^TypeError/);
  assert.equal(errors.quality.auto, true);
  assert.deepEqual(problems, []);
  await page.close();
});
