// The demo page shows the fake camera: a real person's frames reach the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordProblems } from '../lib/browser.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

const env = useServerAndBrowser();

test('the camera and processed videos play at the fake camera size', async () => {
  const page = await env.browser.newPage();
  const problems = recordProblems(page);
  await page.goto(env.server.url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  await page.waitForFunction(() => {
    const video = document.getElementById('camera');
    return video.readyState >= 2 && video.videoWidth > 0;
  }, null, { timeout: 15_000 });
  const size = await page.evaluate(() => {
    const video = document.getElementById('camera');
    return [video.videoWidth, video.videoHeight];
  });
  assert.deepEqual(size, [640, 480]);
  await page.waitForFunction(() => document.getElementById('processed').videoWidth === 640, null, { timeout: 15_000 });
  // The frames are not blank: a real photograph has plenty of distinct values.
  const distinct = await page.evaluate(() => {
    const video = document.getElementById('camera');
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(video, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const values = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) values.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return values.size;
  });
  assert.ok(distinct > 500, `only ${distinct} distinct colours sampled`);
});
