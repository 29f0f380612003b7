// Frames of any VideoFrame format and size: the fake camera's picture, re-encoded in the
// page as RGBA, RGBX, BGRA, BGRX, I420 and NV12 frames, then at other sizes (smaller,
// larger, another aspect ratio, one after another), goes through backdrop.processFrame.
// Every output has the input's size, the removal colour in the background corners and the
// person kept: the worker copies I420 planes and lets the browser convert other formats.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordProblems } from '../lib/browser.mjs';
import { REGIONS } from '../lib/pixels.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

const MAGENTA = [255, 0, 255];

const env = useServerAndBrowser('harness');

async function run(cases) {
  const page = await env.browser.newPage();
  const problems = recordProblems(page);
  await page.goto(env.server.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
  const outcome = await page.evaluate(
    (args) => window.harness.processFormats(args),
    { cases, regions: REGIONS, rgb: MAGENTA, options: { mode: 'remove', color: '#ff00ff', quality: 0 } },
  );
  await page.close();
  return { ...outcome, problems };
}

function assertProcessed(result, width, height) {
  const what = `${result.format} ${width}x${height}: ${JSON.stringify(result)}`;
  assert.deepEqual(result.size, [width, height], what);
  assert.equal(result.state, 'running', what);
  assert.ok(result.fractions.backgroundTopLeft > 0.9, `background left not removed: ${what}`);
  assert.ok(result.fractions.backgroundTopRight > 0.9, `background right not removed: ${what}`);
  assert.ok(result.fractions.person < 0.05, `person removed: ${what}`);
}

test('RGBA, RGBX, BGRA, BGRX, I420 and NV12 frames are all processed', { timeout: 120_000 }, async () => {
  const formats = ['RGBA', 'RGBX', 'BGRA', 'BGRX', 'I420', 'NV12'];
  const { results, privacyFrames, problems } = await run(formats.map((format) => ({ format, width: 640, height: 480 })));
  results.forEach((r) => assertProcessed(r, 640, 480));
  assert.equal(privacyFrames, 0, 'no frame fell back to the privacy frame');
  assert.deepEqual(problems, []);
});

test('frames that change size between frames are processed at their own size', { timeout: 120_000 }, async () => {
  const sizes = [[640, 480], [320, 240], [1280, 720], [480, 640], [640, 480]];
  const { results, privacyFrames, problems } = await run(sizes.map(([width, height], i) => ({ format: i % 2 ? 'NV12' : 'I420', width, height })));
  results.forEach((r, i) => {
    const [w, h] = sizes[i];
    // A portrait frame of a landscape picture is squeezed: only check size and corners there.
    if (w < h) {
      assert.deepEqual(r.size, [w, h]);
      assert.ok(r.fractions.backgroundTopLeft > 0.9, JSON.stringify(r));
    } else {
      assertProcessed(r, w, h);
    }
  });
  assert.equal(privacyFrames, 0);
  assert.deepEqual(problems, []);
});
