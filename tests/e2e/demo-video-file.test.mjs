// A local video file as the demo's input (file picker and drag-and-drop). The clip is made
// at test time: a few seconds of Chromium's fake camera (the real person before a blue
// wall) recorded with MediaRecorder to WebM, so nothing large is committed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import { openDemo, waitApplied, saveScreenshot, presentedFrames } from '../lib/demo.mjs';
import { recordCameraWebm } from '../lib/media.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

const MAGENTA = [255, 0, 255];

let webm;
let demo;
const env = useServerAndBrowser('demo', async ({ browser, server }) => {
  webm = await recordCameraWebm(browser, server.url, 3);
  demo = await openDemo(browser, server.url);
  await demo.page.selectOption('#mode', 'remove');
  await demo.page.fill('#remove-color', '#ff00ff');
  await waitApplied(demo.page, 'remove');
});

/** Waits until the processed view shows magenta in both background corners and keeps the face. */
async function processedFromFile(what) {
  const { page } = demo;
  return eventually(async () => {
    const source = await page.evaluate(() => document.body.dataset.source);
    const left = await sampleVideo(page, '#processed', REGIONS.backgroundTopLeft, MAGENTA);
    const right = await sampleVideo(page, '#processed', REGIONS.backgroundTopRight, MAGENTA);
    const person = await sampleVideo(page, '#processed', REGIONS.person, MAGENTA);
    const ok = source === 'file' && left?.fraction > 0.95 && right?.fraction > 0.95 && person?.fraction < 0.05;
    return { ok, source, left, right, person };
  }, { what, timeoutMs: 30_000 });
}

test('the file picker: the recorded clip is processed, background removed, person kept', async () => {
  const { page, problems } = demo;
  assert.ok(webm.length > 10_000, `a real recording: ${webm.length} bytes`);
  await page.selectOption('#source', 'file');
  assert.equal(await page.isVisible('#video-file'), true);
  assert.equal(await page.isVisible('#drop-zone'), true);
  await page.setInputFiles('#video-file', { name: 'person.webm', mimeType: 'video/webm', buffer: webm });
  const frame = await processedFromFile('the video file processed in the "what others see" view');
  assert.deepEqual(frame.left.size, [640, 480]);
  const [r, , b] = frame.person.mean;
  assert.ok(r > b, `the face is skin-coloured, not the wall: ${frame.person.mean}`);
  // The original view plays the file: the blue wall is there, unprocessed.
  const original = await sampleVideo(page, '#camera', REGIONS.backgroundTopLeft, MAGENTA);
  assert.ok(original.fraction < 0.05, `the original view is the file, not processed: ${JSON.stringify(original)}`);
  assert.match(await page.textContent('#status'), /person\.webm/);
  await page.waitForFunction(() => document.getElementById('input-size').textContent === 'video file, 640 × 480', null, { timeout: 5_000 });
  await saveScreenshot(page, 'video-file');
  assert.deepEqual(problems, []);
});

test('drag and drop: a video dropped on the drop zone becomes the input', async () => {
  const { page } = demo;
  // Back to the camera first, so the drop is what brings the file back.
  await page.selectOption('#source', 'camera');
  await page.waitForFunction(() => document.body.dataset.source === 'camera', null, { timeout: 10_000 });
  await page.selectOption('#source', 'file');
  await page.evaluate((base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.webm', { type: 'video/webm' }));
    document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, webm.toString('base64'));
  await processedFromFile('the dropped video processed');
  assert.match(await page.textContent('#status'), /dropped\.webm/);
});

test('the test call follows a change of source (replaceTrack): the remote video keeps moving', async () => {
  const { page } = demo;
  await page.click('#call');
  await page.waitForFunction(() => document.body.dataset.call === 'on', null, { timeout: 15_000 });
  await eventually(async () => {
    const remote = await sampleVideo(page, '#remote', REGIONS.backgroundTopLeft, MAGENTA, 60);
    return { ok: remote?.fraction > 0.95, remote };
  }, { what: 'the processed file in the remote video' });
  // The file's processed track ends when the source changes: without replaceTrack the
  // remote video would freeze on its last frame.
  await page.selectOption('#source', 'camera');
  await page.waitForFunction(() => document.body.dataset.source === 'camera', null, { timeout: 10_000 });
  const frames = await eventually(async () => {
    const n = await presentedFrames(page, '#remote', 1500);
    return { ok: n >= 5, n };
  }, { what: 'new frames in the remote video after the source change', timeoutMs: 15_000 });
  assert.ok(frames.n >= 5);
  const remote = await sampleVideo(page, '#remote', REGIONS.backgroundTopLeft, MAGENTA, 60);
  assert.ok(remote.fraction > 0.95, `still processed after the change: ${JSON.stringify(remote)}`);
});
