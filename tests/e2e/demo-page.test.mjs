// The demo page on a fake camera (a real person before a blue wall), in one page: every
// mode, switched live; the built-in backgrounds and an uploaded image; the stats panel;
// and the loopback test call, whose remote video must carry what the page says others see.
// With BACKDROP_SCREENSHOTS=docs/screenshots it also saves the README's screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import {
  openDemo, chooseMode, waitApplied, readStatsPanel, meanRgba, expectedCoverMean, colourDistance, hexRgb, saveScreenshot,
  edgeEnergy, magentaBlend,
} from '../lib/demo.mjs';
import { solidPng } from '../lib/media.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';
import { REPO_ROOT } from '../lib/server.mjs';

// The core's stage names, from the package itself (not restated here).
const { STAGES } = await import(pathToFileURL(resolve(REPO_ROOT, 'www', 'dist', 'timings.js')).href);

const MAGENTA = '#ff00ff';
const ORANGE = [255, 128, 0];
const CORNERS = [REGIONS.backgroundTopLeft, REGIONS.backgroundTopRight];

let demo;
const env = useServerAndBrowser('demo', async ({ browser, server }) => {
  // Records the constraints of each getUserMedia call, for the resolution picker's test.
  const recordConstraints = `{
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    window.cameraRequests = [];
    navigator.mediaDevices.getUserMedia = (constraints) => {
      window.cameraRequests.push(constraints);
      return open(constraints);
    };
  }`;
  demo = await openDemo(browser, server.url, { initScript: recordConstraints });
});

/** Waits until both background corners of `selector` are within `tolerance` of `rgb` and the face is not. */
async function backgroundBecomes(selector, rgb, what, tolerance = 40) {
  return eventually(async () => {
    const corners = await Promise.all(CORNERS.map((region) => sampleVideo(demo.page, selector, region, rgb, tolerance)));
    const person = await sampleVideo(demo.page, selector, REGIONS.person, rgb, tolerance);
    const ok = corners.every((c) => c?.fraction > 0.95) && person?.fraction < 0.05;
    return { ok, corners, person };
  }, { what, timeoutMs: 20_000 });
}

/** Waits until each corner's mean in `selector` is within `tolerance` of `expected[i]`. */
async function cornersMatch(selector, expected, what, tolerance = 25) {
  return eventually(async () => {
    const means = await Promise.all(CORNERS.map((region) => meanRgba(demo.page, selector, region)));
    const ok = means.every((m, i) => m && colourDistance(m, expected[i]) <= tolerance);
    return { ok, means, expected };
  }, { what, timeoutMs: 20_000 });
}

test('loads the SIMD build, processes the camera in blur mode by default, from this origin only', async () => {
  const { page, problems } = demo;
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  assert.equal(await page.inputValue('#mode'), 'blur');
  await waitApplied(page, 'blur');
  assert.equal(await page.isVisible('#loading'), false, 'the progress bar goes once the model is loaded');
  assert.equal(await page.isVisible('#build-notice'), false);
  // The progress bar followed the model download to the end.
  assert.equal(await page.evaluate(() => document.getElementById('progress').value), 1);
  const [loaded, total] = (await page.textContent('#progress-text')).match(/[\d.]+/g).map(Number);
  assert.ok(total > 0 && loaded === total, `progress text: ${loaded} of ${total} MB`);
  // The camera picker names the camera in use (Chromium's fake camera is named after its file).
  assert.match(await page.textContent('#camera-device'), /person-640x480\.y4m/);
  // Blur keeps the wall's colour (blurred) and the person; it is not the privacy frame.
  const wall = await meanRgba(page, '#camera', REGIONS.backgroundTopLeft);
  await cornersMatch('#processed', [wall, await meanRgba(page, '#camera', REGIONS.backgroundTopRight)], 'blurred wall in the processed view', 30);
  await saveScreenshot(page, 'blur');
});

test('the resolution picker reopens the camera with that resolution; the panel shows what the camera gives', async () => {
  const { page } = demo;
  await page.selectOption('#resolution', '1280x720');
  const request = await eventually(async () => {
    const requests = await page.evaluate(() => window.cameraRequests);
    const last = requests.at(-1);
    return { ok: requests.length >= 2 && last.video.width.ideal === 1280 && last.video.height.ideal === 720, last };
  }, { what: 'getUserMedia asked for 1280 × 720' });
  assert.ok(request.last.video.deviceId?.exact, 'the chosen camera is kept');
  // Chromium's fake camera plays the 640 × 480 file whatever is asked; the panel says so.
  await page.waitForFunction(() => document.getElementById('input-size').textContent === 'camera, 640 × 480', null, { timeout: 10_000 });
  await page.selectOption('#resolution', '640x480');
  await eventually(async () => (await page.evaluate(() => window.cameraRequests)).at(-1).video.width.ideal === 640, { what: 'back to 640 × 480' });
  await waitApplied(page, 'blur');
});

test('the blur strength slider changes the blur live', async () => {
  const { page } = demo;
  // A strip of wall and a dark object at the left edge, never the person: its edges
  // soften with blur. Mean over a few samples, as the clip moves.
  const strip = { x: 0, y: 100, width: 120, height: 380 };
  const sharpness = async () => {
    let camera = 0;
    let processed = 0;
    for (let i = 0; i < 5; i++) {
      camera += await edgeEnergy(page, '#camera', strip);
      processed += await edgeEnergy(page, '#processed', strip);
      await page.waitForTimeout(200);
    }
    return processed / camera;
  };
  await page.fill('#blur-strength', '0');
  await page.waitForTimeout(800);
  const none = await sharpness();
  await page.fill('#blur-strength', '1');
  await page.waitForTimeout(800);
  const full = await sharpness();
  await page.fill('#blur-strength', '0.5');
  console.log(`# edge energy processed/original: strength 0 → ${none.toFixed(2)}, strength 1 → ${full.toFixed(2)}`);
  assert.ok(none > 0.85, `strength 0 keeps the background sharp: ${none}`);
  assert.ok(full < 0.75, `strength 1 blurs it: ${full}`);
});

test('the stats panel shows the build, the frame path and numbers that move', async () => {
  const { page } = demo;
  const first = await eventually(async () => {
    const stats = await readStatsPanel(page);
    return { ok: stats.framesProcessed > 0 && stats.fps > 0, ...stats };
  }, { what: 'processed frames in the stats panel' });
  await page.waitForTimeout(1500);
  const second = await readStatsPanel(page);
  assert.equal(second.state, 'running');
  assert.equal(second.build, 'SIMD');
  assert.match(second.path, /^insertable streams/);
  assert.ok(second.framesProcessed > first.framesProcessed, `frames processed moves: ${first.framesProcessed} → ${second.framesProcessed}`);
  assert.ok(second.fps > 0, `fps ${second.fps}`);
  for (const key of STAGES) {
    assert.ok(Number.isFinite(second[key]) && second[key] >= 0, `${key} is a number: ${second[key]}`);
  }
  assert.ok(second.inferenceMs > 0 && second.totalMs >= second.inferenceMs, `segmentation ${second.inferenceMs} ms of ${second.totalMs} ms`);
  assert.match(second.loadTime, /^\d+ ms$/);
  console.log(`# stats panel: ${JSON.stringify(second)}`);
});

test('remove with a colour: background corners that colour, the person kept', async () => {
  const { page } = demo;
  await page.selectOption('#mode', 'remove');
  await page.fill('#remove-color', MAGENTA);
  await eventually(async () => {
    const applied = JSON.parse((await page.evaluate(() => document.body.dataset.applied)) || '{}');
    return applied.mode === 'remove' && applied.color === MAGENTA;
  }, { what: 'remove with magenta applied' });
  const frame = await backgroundBecomes('#processed', hexRgb(MAGENTA), 'magenta background in the processed view');
  const [r, , b] = frame.person.mean;
  assert.ok(r > b, `the face is skin-coloured, not the wall: ${frame.person.mean}`);
  await saveScreenshot(page, 'remove-colour');
});

test('edge softness widens the blend between the person and the removal colour', async () => {
  const { page } = demo;
  const blendedPixels = async () => {
    const counts = [];
    for (let i = 0; i < 3; i++) {
      counts.push((await magentaBlend(page, '#processed')).blended);
      await page.waitForTimeout(200);
    }
    return counts.sort((a, b) => a - b)[1]; // the median
  };
  await page.fill('#edge-softness', '0');
  await page.waitForTimeout(800);
  const crisp = await blendedPixels();
  await page.fill('#edge-softness', '1');
  await page.waitForTimeout(800);
  const soft = await blendedPixels();
  await page.fill('#edge-softness', '0.3');
  console.log(`# part-magenta pixels: softness 0 → ${crisp}, softness 1 → ${soft}`);
  assert.ok(soft > 4 * crisp && soft > 1000, `softness 1 blends more pixels than 0: ${soft} vs ${crisp}`);
});

test('remove transparent: alpha 0 behind the person, shown over a checkerboard', async () => {
  const { page } = demo;
  await page.check('#transparent');
  await eventually(async () => {
    const applied = JSON.parse((await page.evaluate(() => document.body.dataset.applied)) || '{}');
    return applied.color === 'transparent';
  }, { what: 'transparent applied' });
  assert.ok(await page.evaluate(() => document.getElementById('processed-frame').classList.contains('checkerboard')));
  const alpha = await eventually(async () => {
    const corners = await Promise.all(CORNERS.map((region) => meanRgba(page, '#processed', region)));
    const person = await meanRgba(page, '#processed', REGIONS.person);
    return { ok: corners.every((c) => c && c[3] < 10) && person?.[3] > 245, corners, person };
  }, { what: 'transparent corners, opaque face' });
  assert.ok(alpha.person[3] > 245);
  await saveScreenshot(page, 'remove-transparent');
  await page.uncheck('#transparent');
});

test('model choice: each model keeps processing, the person kept', async () => {
  const { page } = demo;
  for (const model of ['general', 'landscape', 'auto']) {
    await page.selectOption('#model', model);
    const before = (await readStatsPanel(page)).framesProcessed;
    await backgroundBecomes('#processed', hexRgb(MAGENTA), `magenta background with the ${model} model`);
    await eventually(async () => (await readStatsPanel(page)).framesProcessed > before + 5, { what: `frames with the ${model} model` });
  }
  assert.match(await page.textContent('#status'), /^Processing the camera \(.*person-640x480\.y4m.*\) on this device\.$/);
});

test('quality select (when the package exports QUALITY_TIERS): pinning a tier shows it in the stats', async (t) => {
  const { page } = demo;
  if (await page.isHidden('#quality-control')) {
    t.skip('this build of the package has no QUALITY_TIERS');
    return;
  }
  const tiers = await page.evaluate(() => [...document.getElementById('quality').options].map((o) => [o.value, o.textContent]));
  assert.equal(tiers[0][0], 'auto');
  assert.ok(tiers.length >= 2, `tiers: ${JSON.stringify(tiers)}`);
  const [value, name] = tiers[1];
  await page.selectOption('#quality', value);
  await page.waitForFunction((name) => document.getElementById('quality-stat').textContent === name, name, { timeout: 10_000 });
  await page.selectOption('#quality', 'auto');
  await page.waitForFunction(() => document.getElementById('quality-stat').textContent.endsWith('(auto)'), null, { timeout: 10_000 });
});

test('replace with the built-in backgrounds, switched live', async () => {
  const { page } = demo;
  const size = [640, 480];
  const wall = await Promise.all(CORNERS.map((region) => meanRgba(page, '#camera', region)));
  for (const id of ['office', 'dusk']) {
    if (id === 'office') await page.selectOption('#mode', 'replace');
    else await page.selectOption('#background', id);
    await eventually(async () => {
      const applied = JSON.parse((await page.evaluate(() => document.body.dataset.applied)) || '{}');
      return applied.mode === 'replace' && applied.background === id;
    }, { what: `background ${id} applied` });
    const expected = await Promise.all(CORNERS.map((region) => expectedCoverMean(page, `/demo/backgrounds/${id}.png`, size, region)));
    assert.ok(expected.every((e, i) => colourDistance(e, wall[i]) > 40), `${id} differs from the wall, so the check means something`);
    await cornersMatch('#processed', expected, `the ${id} background in the processed view`);
    if (id === 'office') await saveScreenshot(page, 'replace');
  }
});

test('replace with an uploaded image', async () => {
  const { page } = demo;
  await page.setInputFiles('#background-file', { name: 'orange.png', mimeType: 'image/png', buffer: solidPng(64, 48, ORANGE) });
  await eventually(async () => {
    const applied = JSON.parse((await page.evaluate(() => document.body.dataset.applied)) || '{}');
    return applied.mode === 'replace' && applied.background === 'upload';
  }, { what: 'the uploaded image applied' });
  assert.equal(await page.inputValue('#background'), 'upload');
  await backgroundBecomes('#processed', ORANGE, 'the uploaded orange behind the person');
});

test('off shows and sends the camera unprocessed, labelled as such', async () => {
  const { page } = demo;
  await chooseMode(page, 'off');
  const wall = await Promise.all(CORNERS.map((region) => meanRgba(page, '#camera', region)));
  await cornersMatch('#processed', wall, 'the raw wall in the "what others see" view', 10);
  assert.match(await page.textContent('#processed-caption'), /^Off — /);
  await saveScreenshot(page, 'off');
});

test('test call: the remote video carries the processed frames, and follows mode changes through replaceTrack', async () => {
  const { page } = demo;
  await page.selectOption('#mode', 'remove');
  await page.fill('#remove-color', MAGENTA);
  await waitApplied(page, 'remove');
  await page.click('#call');
  await page.waitForFunction(() => document.body.dataset.call === 'on', null, { timeout: 15_000 });
  // Lossy video coding: a wider tolerance than the local view.
  await backgroundBecomes('#remote', hexRgb(MAGENTA), 'magenta background in the remote video', 60);
  await saveScreenshot(page, 'test-call');

  await chooseMode(page, 'off');
  const wall = await Promise.all(CORNERS.map((region) => meanRgba(page, '#camera', region)));
  await cornersMatch('#remote', wall, 'the raw camera in the remote video after Off', 35);

  await chooseMode(page, 'remove');
  await backgroundBecomes('#remote', hexRgb(MAGENTA), 'magenta again in the remote video', 60);
  assert.deepEqual([...demo.origins], [new URL(env.server.url).origin], 'no request to any other origin');
  assert.deepEqual(demo.problems, []);
});

test('?path=canvas: the canvas frame path, named in the stats panel, also removes the background', async () => {
  await demo.page.close();
  demo = await openDemo(env.browser, env.server.url, { query: '?path=canvas' });
  const { page, problems } = demo;
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  await page.selectOption('#mode', 'remove');
  await page.fill('#remove-color', MAGENTA);
  await waitApplied(page, 'remove');
  await backgroundBecomes('#processed', hexRgb(MAGENTA), 'magenta background through the canvas path');
  const stats = await readStatsPanel(page);
  assert.equal(stats.path, 'canvas');
  console.log(`# canvas path stats: ${JSON.stringify(stats)}`);
  assert.deepEqual(problems, []);
});
