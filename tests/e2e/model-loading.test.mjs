// One model at the start, the other when a frame first wants it (issue 19): a start on a
// 640x480 camera fetches only the general model before its first processed frame (the
// browser's request log); the same Backdrop then gets a portrait source (general still)
// and a 16:9 one, where `auto` wants the landscape model: it is fetched then, in the
// background, frames go on meanwhile with the general model, and the switch shows no
// privacy frame and no leak (every output frame audited, tests/pages/audit.js), in both
// frame paths. The quality tier is pinned at 0: under `quality: 'auto'` a slow machine's
// step down to tier 1 (which runs the landscape model) would fetch it too, at any shape.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser } from '../lib/setup.mjs';
import { stats } from '../lib/harness.mjs';
import { eventually } from '../lib/pixels.mjs';
import { assertNoLeaks, auditCounts, describeAudit, failures, stopAudit, waitForState, waitProcessedRun } from '../lib/audit.mjs';

const env = useServerAndBrowser('harness');
const LOAD_MS = 30_000;

/** The models the page asked for so far, in order. */
function modelRequests(log) {
  return log.map((url) => url.match(/selfie_(general|landscape)\.onnx/)?.[1]).filter(Boolean);
}

/** The camera on a canvas of `size` (harness.sizedSource), processed and audited as `session.sizedAudit`; the first stream ends. */
function startSizedSource(page, [width, height], path) {
  return page.evaluate((o) => window.harness.sizedSource(o), { width, height, path, endCamera: true });
}

async function processedAt(page, [width, height], n) {
  return eventually(async () => {
    const counts = await auditCounts(page, 'sizedAudit');
    return { ok: (counts.sizes[`${width}x${height}`]?.processed ?? 0) >= n, sizes: counts.sizes };
  }, { what: `${n} processed frames at ${width}x${height}`, timeoutMs: 30_000 });
}

for (const path of ['insertable-streams', 'canvas']) {
  test(`a start fetches one model; the landscape model comes when a 16:9 frame wants it, with no privacy frame at the switch (${path})`, async () => {
    const page = await env.browser.newPage();
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    try {
      await page.goto(env.server.url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
      await page.evaluate((o) => window.harness.start(o), { source: 'camera', mode: 'remove', color: '#ff00ff', audit: true, path, quality: 0 });
      await waitForState(page, 'running', { timeoutMs: LOAD_MS });
      assert.deepEqual(modelRequests(requests), ['general'], 'only the general model is fetched before the first processed frame (640x480 under auto)');
      await waitProcessedRun(page, { n: 10, timeoutMs: LOAD_MS });
      assert.equal((await stats(page)).model, 'general');
      const first = await stopAudit(page);
      console.log(`# camera 640x480 (${path}): ${describeAudit(first)}`);
      assertNoLeaks(first, `640x480 (${path})`);

      // Portrait: the general model still; nothing more is fetched.
      const privacyBefore = (await stats(page)).privacyFrames;
      await startSizedSource(page, [480, 640], path);
      await processedAt(page, [480, 640], 20);
      assert.deepEqual(modelRequests(requests), ['general'], 'a portrait frame needs no other model');
      const failuresBefore = (await failures(page)).length;

      // 16:9: auto wants the landscape model; the frames go on with the general one until it is parsed.
      await page.evaluate(() => window.harness.session.resize(1280, 720));
      await processedAt(page, [1280, 720], 30);
      await eventually(async () => {
        const s = await stats(page);
        return { ok: s.model === 'landscape', model: s.model };
      }, { what: 'frames running the landscape model', timeoutMs: 30_000 });
      await processedAt(page, [1280, 720], 60);
      await page.evaluate(() => window.harness.session.stopDrawing());
      const sized = await stopAudit(page, 'sizedAudit');
      const { modelLoadMs } = await stats(page);
      console.log(`# portrait then 16:9 (${path}): ${describeAudit(sized)}; models fetched: ${modelRequests(requests).join(', ')}; parsed in ${JSON.stringify(modelLoadMs)} ms`);
      assert.deepEqual(modelRequests(requests), ['general', 'landscape'], 'the landscape model is fetched once, when wanted');
      assertNoLeaks(sized, `portrait then 16:9 (${path})`);
      assert.equal((await stats(page)).privacyFrames, privacyBefore, 'Backdrop sent no privacy frame for the new source, through the model switch');
      // The canvas path's output canvas starts painted with the privacy colour (canvas.ts): its first frame.
      const painted = path === 'canvas' ? 1 : 0;
      assert.ok(sized.privacy <= painted, `no solid frame in the output but the canvas path's first: ${describeAudit(sized)}`);
      assert.deepEqual((await failures(page)).slice(failuresBefore), [], 'Backdrop did not fail closed at the switch');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}
