// A hidden tab keeps Backdrop's frame rate: the package harness in a Chromium whose tabs
// can really be hidden (lib/hidden-tab.mjs: not Playwright's launch, which keeps every
// page visible and unthrottled), on the fake camera (the person clip), in remove mode
// with every output frame audited (tests/pages/audit.js, through a
// MediaStreamTrackProcessor, which reads frames whether the page is shown or not).
//
// Each frame path: visible, then hidden behind another tab (`document.visibilityState`
// is 'hidden'), then visible again; the hidden window's output rate must be ≥ 90% of the
// mean of the two visible windows, with no privacy frame and no leak while hidden, and the
// picture still changing (a repeated frozen frame would keep the count but not the video).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PERSON_Y4M } from '../lib/fixtures.mjs';
import { startHarnessServer } from '../lib/harness.mjs';
import { launchChromiumWithTabs, hide, show } from '../lib/hidden-tab.mjs';
import { describeAudit, stopAudit, waitForState, waitProcessedRun } from '../lib/audit.mjs';

const PATHS = ['insertable-streams', 'canvas'];
const VISIBLE_MS = 5_000;
const HIDDEN_MS = 10_000;
/** When the two visible windows differ by more than this share, the machine's load moved: measured once more. */
const VISIBLE_SPREAD = 0.25;

const env = /** @type {any} */ ({});
before(async () => {
  env.server = await startHarnessServer();
  env.chromium = await launchChromiumWithTabs({ fakeCamera: PERSON_Y4M });
});
after(async () => {
  await env.chromium?.close();
  env.server?.stop();
});

/** The auditor's and Backdrop's counts over `ms`, as rates per second. */
async function measureWindow(page, ms) {
  const read = () => page.evaluate(() => ({
    at: performance.now(),
    audit: window.harness.session.audit.counts(),
    stats: window.harness.session.backdrop.stats(),
    visibility: document.visibilityState,
  }));
  const a = await read();
  await new Promise((r) => setTimeout(r, ms));
  const b = await read();
  const seconds = (b.at - a.at) / 1000;
  return {
    fps: (b.audit.frames - a.audit.frames) / seconds,
    changedFps: (b.audit.changed - a.audit.changed) / seconds,
    processedFps: (b.stats.framesProcessed - a.stats.framesProcessed) / seconds,
    privacy: b.audit.privacy - a.audit.privacy,
    leaks: b.audit.leak - a.audit.leak,
    visibility: [a.visibility, b.visibility],
    tier: b.stats.quality.tier,
  };
}

const fixed = (w) => `${w.fps.toFixed(1)} fps (${w.changedFps.toFixed(1)} changed, ${w.processedFps.toFixed(1)} processed, tier ${w.tier})`;

for (const path of PATHS) {
  test(`a hidden tab keeps the output's frame rate (≥ 90% of visible over ${HIDDEN_MS / 1000} s), no privacy frame, the picture moving (${path})`, { timeout: 3 * 60_000 }, async () => {
    const page = await env.chromium.context.newPage();
    try {
      await page.goto(env.server.url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
      await page.evaluate((o) => window.harness.start(o), { source: 'camera', path, mode: 'remove', color: '#ff00ff', audit: true });
      await waitForState(page, 'running', { timeoutMs: 30_000 });
      await waitProcessedRun(page, { n: 10, timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 2_000)); // past the first frames and any quality step
      let result;
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = await measureWindow(page, VISIBLE_MS);
        const other = await hide(env.chromium.context, page);
        let hidden;
        try {
          hidden = await measureWindow(page, HIDDEN_MS);
        } finally {
          await show(page, other);
        }
        const after = await measureWindow(page, VISIBLE_MS);
        const visibleFps = (before.fps + after.fps) / 2;
        const steady = Math.abs(before.fps - after.fps) <= VISIBLE_SPREAD * Math.max(before.fps, after.fps);
        console.log(`# ${path}: visible ${fixed(before)} and ${fixed(after)}, hidden ${fixed(hidden)} = ` +
          `${((100 * hidden.fps) / visibleFps).toFixed(0)}% of visible${steady ? '' : ' (the visible rate moved: load on the machine)'}`);
        result = { before, hidden, after, visibleFps };
        if (steady || hidden.fps >= 0.9 * visibleFps) break;
      }
      const { hidden, visibleFps } = result;
      assert.deepEqual(hidden.visibility, ['hidden', 'hidden'], 'the page was hidden throughout the hidden window');
      assert.ok(visibleFps >= 10, `the visible output runs at only ${visibleFps.toFixed(1)} fps`);
      assert.ok(hidden.fps >= 0.9 * visibleFps, `hidden: ${hidden.fps.toFixed(1)} fps, under 90% of the visible ${visibleFps.toFixed(1)} fps`);
      assert.equal(hidden.privacy, 0, `privacy frames while hidden: ${hidden.privacy}`);
      assert.equal(hidden.leaks, 0, `leaks while hidden: ${hidden.leaks}`);
      const visibleChanged = (result.before.changedFps + result.after.changedFps) / 2;
      assert.ok(hidden.changedFps >= 0.5 * visibleChanged, `the picture froze while hidden: ${hidden.changedFps.toFixed(1)} changed frames/s against ${visibleChanged.toFixed(1)} visible`);
      const counts = await stopAudit(page);
      console.log(`# ${path}: ${describeAudit(counts)}`);
      assert.equal(counts.leak, 0, describeAudit(counts));
    } finally {
      await page.close();
    }
  });
}
