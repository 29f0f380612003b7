// The demo's messages for what can go wrong: camera permission denied, no camera, no
// WebAssembly SIMD (the fallback build in use) and a model that fails to load (Backdrop
// stays fail-closed: the page says so, and what others would see holds no camera pixel).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../lib/browser.mjs';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import { openDemo, readStatsPanel } from '../lib/demo.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

const PRIVACY_GREY = [0x20, 0x21, 0x24];

const env = useServerAndBrowser();

/** An init script that makes getUserMedia fail the way the browser does, with `name`. */
function failingCamera(name) {
  return `navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('simulated', ${JSON.stringify(name)}); };`;
}

for (const [name, message] of [
  ['NotAllowedError', /Camera permission was denied/],
  ['NotFoundError', /No camera was found/],
]) {
  test(`getUserMedia ${name}: a clear message, no camera view, the video-file source still offered`, async () => {
    const { page, problems } = await openDemo(env.browser, env.server.url, { initScript: failingCamera(name) });
    assert.equal(await page.evaluate(() => document.body.dataset.camera), name);
    assert.match(await page.textContent('#status'), message);
    assert.match(await page.textContent('#status'), /video file/);
    assert.equal(await page.evaluate(() => document.getElementById('status').className), 'error');
    assert.equal(await page.evaluate(() => document.getElementById('camera').srcObject), null);
    assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', 'the model still loads');
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('a browser with no camera at all (not simulated): the no-camera message', async () => {
  // No fake device: this Chromium has no camera; its permission prompt is accepted.
  const bare = await launchChromium({ extraArgs: ['--use-fake-ui-for-media-stream'] });
  try {
    const { page, problems } = await openDemo(bare, env.server.url);
    assert.equal(await page.evaluate(() => document.body.dataset.camera), 'NotFoundError');
    assert.match(await page.textContent('#status'), /No camera was found/);
    assert.deepEqual(problems, []);
  } finally {
    await bare.close();
  }
});

test('no WebAssembly SIMD: the fallback build loads and the page says so', async () => {
  // Makes the package's SIMD probe fail (features.ts validates a tiny module using v128).
  const noSimd = `{
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => {
      const view = new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
      return view.includes(0x7b) && view.includes(0xfd) && view.length < 64 ? false : validate(bytes);
    };
  }`;
  const { page, problems } = await openDemo(env.browser, env.server.url, { initScript: noSimd });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  assert.equal(await page.evaluate(() => document.body.dataset.wasmSimd), 'false');
  await page.waitForFunction(() => document.getElementById('wasm-build').textContent === 'fallback (no SIMD)', null, { timeout: 5_000 });
  assert.equal(await page.isVisible('#build-notice'), true);
  assert.match(await page.textContent('#build-notice'), /no WebAssembly SIMD/);
  const stats = await eventually(async () => {
    const s = await readStatsPanel(page);
    return { ok: s.framesProcessed > 0, ...s };
  }, { what: 'frames processed by the fallback build', timeoutMs: 30_000 });
  console.log(`# fallback build stats: ${JSON.stringify(stats)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a model that fails to load: the fail-closed state is shown and no camera pixel is shown as processed', async () => {
  // The worker's model requests answer 404, as a broken deployment would.
  const context = await env.browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.route('**/*.onnx', (route) => route.fulfill({ status: 404, body: 'not found' }));
  const page = await context.newPage();
  await page.goto(new URL('demo/', env.server.url).href);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'error');
  assert.match(await page.textContent('#status'), /The model failed to load .*HTTP 404.*fail-closed/);
  await page.waitForFunction(() => document.getElementById('state').textContent === 'failclosed', null, { timeout: 5_000 });
  assert.equal(await page.isVisible('#loading'), false);
  // What others would see: the privacy frame everywhere, the face included.
  const face = await eventually(async () => {
    const sample = await sampleVideo(page, '#processed', REGIONS.person, PRIVACY_GREY, 8);
    return { ok: sample?.fraction > 0.99, sample };
  }, { what: 'the privacy frame over the face' });
  assert.ok(face.sample.fraction > 0.99);
  await context.close();
});
