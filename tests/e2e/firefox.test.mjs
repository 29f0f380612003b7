// The package in Firefox (Debian's firefox-esr through puppeteer-core over WebDriver BiDi,
// lib/firefox.mjs), on the package harness page (tests/pages/package-harness.html).
// Firefox has WebAssembly SIMD and VideoFrame but no MediaStreamTrackProcessor or
// Generator, so the canvas path is the package's choice there.
//
// The camera: Firefox's fake camera is a synthetic picture, not a person, so the tests
// that look at pixels use the harness's 'clip' source: the frames of the person clip
// Chromium's fake camera plays (tests/fixtures/build/person-640x480.y4m) drawn on a
// canvas at 30 fps, whose captureStream() is the camera track (tests/pages/clip-camera.js).
// The frame-rate and hidden-tab tests use Firefox's own fake camera (640×480 at 30 fps),
// as a user's camera would be; the hidden-tab test counts the frames a loopback
// RTCPeerConnection in the page encodes from the output (a hidden page presents none). Every output frame is audited (tests/pages/audit.js, through a <video>
// of the output here: what it presents). Then the demo page (www/demo/, served from the
// repository root) in Firefox, its getUserMedia answered by the same clip camera.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launchFirefox, recordProblems, waitInPage } from '../lib/firefox.mjs';
import { startHarnessServer } from '../lib/harness.mjs';
import { startFaultProxy } from '../lib/fault-server.mjs';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import { describeAudit, failures, pageNow, states, stopAudit, waitForState, waitProcessedRun } from '../lib/audit.mjs';
import { colourDistance, expectedCoverMean, meanRgba, readStatsPanel } from '../lib/demo.mjs';

const MAGENTA = [255, 0, 255];
const CORNERS = [REGIONS.backgroundTopLeft, REGIONS.backgroundTopRight];
const ORANGE = [255, 128, 0];
/** How long a first load may take on a loaded 2-core machine. */
const LOAD_MS = 40_000;

const env = /** @type {any} */ ({});
before(async () => {
  env.server = await startHarnessServer();
  env.proxy = await startFaultProxy(env.server.url);
  env.browser = await launchFirefox();
});
after(async () => {
  await env.browser?.close();
  env.proxy?.stop();
  env.server?.stop();
});

/** Pages still open (a failed test leaves its own): closed after each test, faults cleared. */
const openPages = new Set();
afterEach(async () => {
  env.proxy?.clear();
  for (const page of openPages) await page.close().catch(() => undefined);
  openPages.clear();
});

/**
 * Opens the harness (through the fault proxy when `proxied`) and starts Backdrop with
 * `options`. Returns `{page, problems, urls, startedAt}`: `urls` every request the page
 * and its workers made.
 */
async function open(options, { proxied = false } = {}) {
  const page = await env.browser.newPage();
  openPages.add(page);
  const problems = recordProblems(page);
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  await page.goto(proxied ? env.proxy.url : env.server.url);
  await waitInPage(page, () => document.body.dataset.ready === 'true', null, { what: 'the harness page ready' });
  const startedAt = await pageNow(page);
  await page.evaluate((o) => window.harness.start(o), options);
  return { page, problems, urls, startedAt };
}

/**
 * The origins of `urls` that went over the network (data: and blob: URLs, such as the
 * pages' `data:,` icon, have an opaque origin and leave nothing); throws on another scheme.
 */
function networkOrigins(urls) {
  const origins = new Set();
  for (const url of urls) {
    const { protocol, origin } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:') continue;
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`a request by another scheme: ${url}`);
    origins.add(origin);
  }
  return [...origins];
}

/** Waits until both background corners of `selector` are within `tolerance` of `rgb` and the face is not. */
function backgroundBecomes(page, rgb, what, { selector = '#processed', tolerance = 40 } = {}) {
  return eventually(async () => {
    const corners = await Promise.all(CORNERS.map((r) => sampleVideo(page, selector, r, rgb, tolerance)));
    const person = await sampleVideo(page, selector, REGIONS.person, rgb, tolerance);
    const ok = corners.every((c) => c?.fraction > 0.95) && person?.fraction < 0.05;
    return { ok, corners, person };
  }, { what, timeoutMs: 20_000 });
}

/**
 * Mean absolute difference of horizontally neighbouring pixels (luma) in `region`: of the
 * output video (`which` 'processed'), or of the clip's own frames, averaged over all of
 * them ('clip'). High where edges are sharp, low where the region is blurred.
 */
function edgeEnergy(page, which, region) {
  return page.evaluate(([which, region]) => {
    const energy = (image) => {
      const canvas = new OffscreenCanvas(640, 480);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0, 640, 480);
      const { data, width, height } = ctx.getImageData(region.x, region.y, region.width, region.height);
      const luma = (i) => 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      let sum = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 1; x < width; x++) sum += Math.abs(luma((y * width + x) * 4) - luma((y * width + x - 1) * 4));
      }
      return sum / (height * (width - 1));
    };
    if (which === 'clip') {
      const { bitmaps } = window.harness.session.clip;
      return bitmaps.reduce((sum, b) => sum + energy(b), 0) / bitmaps.length;
    }
    return energy(document.getElementById('processed'));
  }, [which, region]);
}

test('Firefox: no insertable streams, WebAssembly SIMD and VideoFrame; remove mode on the canvas path: privacy frames first, never the wall, the person kept, audio kept, this origin only', async () => {
  const { page, problems, urls, startedAt } = await open({ source: 'clip', audio: true, mode: 'remove', color: '#ff00ff', audit: true });
  const browser = await page.evaluate(() => ({
    userAgent: navigator.userAgent,
    processor: typeof MediaStreamTrackProcessor,
    generator: typeof MediaStreamTrackGenerator,
    videoFrame: typeof VideoFrame,
    offscreenCanvas: typeof OffscreenCanvas,
  }));
  assert.match(browser.userAgent, /Firefox\/\d+/);
  assert.deepEqual([browser.processor, browser.generator, browser.videoFrame, browser.offscreenCanvas], ['undefined', 'undefined', 'function', 'function'], JSON.stringify(browser));

  const running = await waitForState(page, 'running', { timeoutMs: LOAD_MS });
  await waitProcessedRun(page, { n: 10, timeoutMs: LOAD_MS });
  const frame = await backgroundBecomes(page, MAGENTA, 'the background corners magenta, the person kept');
  assert.deepEqual(frame.person.size, [640, 480]);
  const [r, , b] = frame.person.mean;
  assert.ok(r > b, `the face is skin-coloured, not the blue wall: mean ${frame.person.mean}`);

  const stats = await page.evaluate(() => window.harness.session.backdrop.stats());
  assert.equal(stats.build, 'simd');
  assert.equal(stats.path, 'canvas');
  assert.equal(stats.state, 'running');
  const audio = await page.evaluate(() => {
    const { inputStream, processed } = window.harness.session;
    return { input: inputStream.getAudioTracks().map((t) => t.id), output: processed.getAudioTracks().map((t) => t.id) };
  });
  assert.equal(audio.input.length, 1, 'the fake microphone gave a track');
  assert.deepEqual(audio.output, audio.input, 'the audio track is passed through');

  const counts = await stopAudit(page);
  console.log(`# Firefox remove (clip camera, canvas path): loaded ${Math.round(running.at - startedAt)} ms after start; ${describeAudit(counts)}`);
  assert.equal(counts.error, null, `the auditor failed: ${counts.error}`);
  assert.equal(counts.leak, 0, `frames showing the wall: ${describeAudit(counts)}`);
  assert.equal(counts.runs[0]?.kind, 'privacy', `the first frames are privacy frames: ${JSON.stringify(counts.runs.slice(0, 3))}`);
  assert.ok(counts.processed >= 10, describeAudit(counts));

  const origin = new URL(env.server.url).origin;
  assert.ok(urls.some((u) => u.endsWith('.onnx')) && urls.some((u) => u.endsWith('.wasm')), `the worker's requests are seen: ${urls.join(' ')}`);
  assert.deepEqual(networkOrigins(urls), [origin], 'no request to any other origin');
  assert.deepEqual(problems, []);
});

test('Firefox: blur and replace switched live: the background changed, the person kept', async () => {
  const { page, problems } = await open({ source: 'clip', mode: 'blur', blurStrength: 1 });
  await waitForState(page, 'running', { timeoutMs: LOAD_MS });
  // Blur: a strip of wall and a dark object at the left edge (never the person) loses its edges.
  const strip = { x: 0, y: 100, width: 120, height: 380 };
  const camera = await edgeEnergy(page, 'clip', strip);
  const blurred = await eventually(async () => {
    let sum = 0;
    for (let i = 0; i < 5; i++) {
      sum += await edgeEnergy(page, 'processed', strip);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ratio = sum / 5 / camera;
    return { ok: ratio < 0.75, ratio };
  }, { what: 'the background blurred', timeoutMs: 15_000 });
  const face = await sampleVideo(page, '#processed', REGIONS.person, [0x20, 0x21, 0x24], 8);
  assert.ok(face.fraction < 0.5, `the face is there, not the privacy frame: ${JSON.stringify(face)}`);
  console.log(`# Firefox blur: edge energy of the background strip ${blurred.ratio.toFixed(2)} of the camera's`);

  // Replace with a solid orange picture: the corners orange, the face not.
  await page.evaluate(async (rgb) => {
    const data = new Uint8ClampedArray(320 * 240 * 4);
    for (let i = 0; i < data.length; i += 4) data.set([...rgb, 255], i);
    const backgroundImage = await createImageBitmap(new ImageData(data, 320, 240));
    await window.harness.session.backdrop.setOptions({ mode: 'replace', backgroundImage });
  }, ORANGE);
  const replaced = await backgroundBecomes(page, ORANGE, 'the background corners orange, the person kept');
  const [r, , b] = replaced.person.mean;
  assert.ok(r > b, `the face is skin-coloured: mean ${replaced.person.mean}`);
  assert.equal(await page.evaluate(() => window.harness.session.backdrop.state), 'running');
  assert.deepEqual(problems, []);
});

test('Firefox: processFrame takes VideoFrames (RGBA, I420) and an ImageBitmap of the clip, each processed', async () => {
  const page = await env.browser.newPage();
  openPages.add(page);
  const problems = recordProblems(page);
  await page.goto(env.server.url);
  await waitInPage(page, () => document.body.dataset.ready === 'true', null, { what: 'the harness page ready' });
  const cases = [{ format: 'RGBA', width: 640, height: 480 }, { format: 'I420', width: 640, height: 480 }, { format: 'ImageBitmap', width: 640, height: 480 }];
  const { results, privacyFrames } = await page.evaluate(
    (args) => window.harness.processFormats(args),
    { source: 'clip', cases, regions: REGIONS, rgb: MAGENTA, options: { mode: 'remove', color: '#ff00ff', quality: 0 } },
  );
  for (const result of results) {
    const what = JSON.stringify(result);
    assert.equal(result.kind, result.format === 'ImageBitmap' ? 'ImageBitmap' : 'VideoFrame', what);
    assert.deepEqual(result.size, [640, 480], what);
    assert.equal(result.state, 'running', what);
    assert.ok(result.fractions.backgroundTopLeft > 0.9 && result.fractions.backgroundTopRight > 0.9, `background not removed: ${what}`);
    assert.ok(result.fractions.person < 0.05, `person removed: ${what}`);
  }
  assert.equal(privacyFrames, 0);
  assert.deepEqual(problems, []);
});

test('Firefox: a model that never loads (HTTP 404): only privacy frames, failclosed with the reason', async () => {
  for (const model of ['/selfie_general.onnx', '/selfie_landscape.onnx']) env.proxy.fail(model, { kind: 'status', status: 404 });
  const { page } = await open({ source: 'clip', mode: 'remove', color: '#ff00ff', audit: true }, { proxied: true });
  const failed = await waitForState(page, 'failclosed', { timeoutMs: LOAD_MS, reason: /HTTP 404/ });
  // Past the first retries (0.5 s, 1 s, 2 s): still nothing but the privacy frame.
  await new Promise((r) => setTimeout(r, 4_000));
  const counts = await stopAudit(page);
  const log = await states(page);
  const reported = await failures(page);
  console.log(`# Firefox model 404: '${failed.reason}'; ${reported.length} failures reported; ${describeAudit(counts)}`);
  assert.equal(counts.error, null, `the auditor failed: ${counts.error}`);
  assert.ok(counts.privacy >= 30, `privacy frames throughout: ${describeAudit(counts)}`);
  assert.equal(counts.processed + counts.leak, 0, `only privacy frames: ${describeAudit(counts)}`);
  assert.ok(reported.length >= 2 && reported.every((f) => /HTTP 404/.test(f.reason)), `each retry failed and said why: ${JSON.stringify(reported)}`);
  assert.ok(!log.some((e) => e.state === 'running'), `never running: ${JSON.stringify(log)}`);
  assert.equal(await page.evaluate(() => window.harness.session.backdrop.state), 'failclosed');
  assert.ok(env.proxy.served['/selfie_general.onnx'] >= 2, `the model was asked for again: ${JSON.stringify(env.proxy.served)}`);
});

// The quality tier it settles at is the machine's: it is printed, not asserted (on the
// 2-core machine of 2026-12-02 tier 0 or 1, on 2026-12-03's tier 3, with the same code).
// What the canvas path itself must not do is spend the frame's budget on the page.
test('Firefox: the canvas path on the fake camera (640×480 at 30 fps) keeps ≥ 90% of its rate over 10 s, no privacy frame, its page-side steps under a tenth of the frame interval; where a frame\'s time goes', async () => {
  const { page, problems } = await open({ source: 'camera', mode: 'blur', profile: true });
  await waitForState(page, 'running', { timeoutMs: LOAD_MS });
  await new Promise((r) => setTimeout(r, 3_000)); // past the first frames and any quality step
  const read = () => page.evaluate(() => {
    const { backdrop, camera, counter, profile } = window.harness.session;
    const s = backdrop.stats();
    const mean = (list) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : null);
    return {
      at: performance.now(), presented: counter.presented, processed: s.framesProcessed, dropped: s.droppedFrames,
      privacy: s.privacyFrames, tier: s.quality.tier, workerMs: s.tierCostsMs[s.quality.tier], coreMs: s.stages.totalMs,
      takeMs: mean(profile.take), drawMs: mean(profile.draw), settings: camera.getSettings(),
    };
  });
  const ms = (v) => (v === null || v === undefined ? null : +v.toFixed(1));
  /** One 10 s window: the output's presented rate, Backdrop's counts, and the per-frame costs. */
  const measure = async () => {
    const a = await read();
    await new Promise((r) => setTimeout(r, 10_000));
    const b = await read();
    const seconds = (b.at - a.at) / 1000;
    const rate = (key) => +((b[key] - a[key]) / seconds).toFixed(1);
    return {
      camera: `${b.settings.width}x${b.settings.height}@${b.settings.frameRate}`, cameraFps: b.settings.frameRate,
      outputFps: rate('presented'), processedFps: rate('processed'),
      dropped: b.dropped - a.dropped, privacy: b.privacy - a.privacy, tier: b.tier,
      workerMs: ms(b.workerMs), coreMs: ms(b.coreMs), readbackMs: ms(b.takeMs), drawMs: ms(b.drawMs),
    };
  };
  const pageMs = (m) => (m.readbackMs ?? 0) + (m.drawMs ?? 0);
  const good = (m) => m.outputFps >= 0.9 * m.cameraFps && m.privacy === 0 && pageMs(m) < 100 / m.cameraFps;
  let summary = await measure();
  console.log(`# Firefox canvas path, 10 s (output = frames the <video> of the output presented; workerMs = the worker's time per frame, coreMs = the core's stages, readbackMs = taking the video's picture on the page, drawMs = drawing the result): ${JSON.stringify(summary)}`);
  if (!good(summary)) {
    // One more window: a 2-core machine shared with other work can starve a window.
    summary = await measure();
    console.log(`# Firefox canvas path, measured again: ${JSON.stringify(summary)}`);
  }
  assert.equal(summary.cameraFps, 30, `the fake camera runs at 30 fps: ${summary.camera}`);
  assert.equal(summary.privacy, 0, `no privacy frame while running: ${JSON.stringify(summary)}`);
  assert.ok(pageMs(summary) < 100 / summary.cameraFps, `taking the picture and drawing the result cost under a tenth of the frame interval: ${JSON.stringify(summary)}`);
  assert.ok(summary.outputFps >= 0.9 * summary.cameraFps, `the output at ≥ 90% of the camera's ${summary.cameraFps} fps: ${JSON.stringify(summary)}`);
  assert.deepEqual(problems, []);
});

test('Firefox: a hidden tab keeps the canvas path\'s rate: frames processed and frames a call sends ≥ 90% of visible over 20 s, no privacy frame', { timeout: 3 * 60_000 }, async () => {
  const { page, problems } = await open({ source: 'camera', mode: 'blur' });
  await waitForState(page, 'running', { timeoutMs: LOAD_MS });
  await new Promise((r) => setTimeout(r, 3_000)); // past the first frames and any quality step
  // What a call would send: the output through a loopback RTCPeerConnection in the page,
  // its encoder's count of frames (a <video> presents nothing in a hidden tab).
  await page.evaluate(async () => {
    const { connections } = await window.harness.loopback(window.harness.session.output);
    window.harness.session.sent = connections[0];
  });
  const read = () => page.evaluate(async () => {
    const { backdrop, sent } = window.harness.session;
    let encoded = 0;
    (await sent.getStats()).forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video') encoded += r.framesEncoded ?? 0; });
    const s = backdrop.stats();
    return { at: performance.now(), visibility: document.visibilityState, processed: s.framesProcessed, privacy: s.privacyFrames, encoded };
  });
  const measure = async (ms) => {
    const a = await read();
    await new Promise((r) => setTimeout(r, ms));
    const b = await read();
    const seconds = (b.at - a.at) / 1000;
    return {
      processedFps: +((b.processed - a.processed) / seconds).toFixed(1),
      encodedFps: +((b.encoded - a.encoded) / seconds).toFixed(1),
      privacy: b.privacy - a.privacy,
      visibility: [a.visibility, b.visibility],
    };
  };
  const VISIBLE_SPREAD = 0.25;
  let result;
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = await measure(5_000);
    // Another tab in front: the page is hidden, as when the user shares another tab.
    const other = await env.browser.newPage();
    let hidden;
    try {
      await other.bringToFront();
      await waitInPage(page, () => document.visibilityState === 'hidden', null, { timeoutMs: 10_000, what: 'the page hidden' });
      hidden = await measure(20_000);
    } finally {
      await other.close();
      await page.bringToFront();
    }
    await waitInPage(page, () => document.visibilityState === 'visible', null, { timeoutMs: 10_000, what: 'the page visible again' });
    const after = await measure(5_000);
    const visible = (key) => (before[key] + after[key]) / 2;
    const steady = Math.abs(before.processedFps - after.processedFps) <= VISIBLE_SPREAD * Math.max(before.processedFps, after.processedFps);
    result = { before, hidden, after, visibleProcessed: visible('processedFps'), visibleEncoded: visible('encodedFps') };
    console.log(`# Firefox hidden tab: ${JSON.stringify(result)}${steady ? '' : ' (the visible rate moved: load on the machine)'}`);
    if (steady || (hidden.processedFps >= 0.9 * result.visibleProcessed && hidden.encodedFps >= 0.9 * result.visibleEncoded)) break;
  }
  const { hidden, visibleProcessed, visibleEncoded } = result;
  assert.deepEqual(hidden.visibility, ['hidden', 'hidden'], 'the page was hidden throughout the hidden window');
  assert.ok(visibleProcessed >= 10, `the visible canvas path processes only ${visibleProcessed} fps`);
  assert.ok(hidden.processedFps >= 0.9 * visibleProcessed, `processed while hidden: ${hidden.processedFps} fps, under 90% of the visible ${visibleProcessed}`);
  assert.ok(hidden.encodedFps >= 0.9 * visibleEncoded, `sent while hidden: ${hidden.encodedFps} fps, under 90% of the visible ${visibleEncoded}`);
  assert.equal(hidden.privacy, 0, 'no privacy frame while hidden');
  assert.deepEqual(problems, []);
});

// ---- the demo page -----------------------------------------------------------------

/** Makes the demo's camera the person clip (tests/pages/clip-camera.js); a microphone request gets Firefox's fake one. */
const CLIP_AS_CAMERA = `{
  const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let clip = null;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (!constraints || !constraints.video) return open(constraints);
    clip ??= await import('/tests/pages/clip-camera.js').then((m) => m.clipCamera());
    return new MediaStream([clip.track.clone()]);
  };
}`;

/** Opens the demo with `initScript` run before its own; waits until it settled (model loaded or failed). */
async function openDemo({ initScript = CLIP_AS_CAMERA, proxied = false } = {}) {
  const page = await env.browser.newPage();
  openPages.add(page);
  await page.setViewport({ width: 1200, height: 900 });
  const problems = recordProblems(page);
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  await page.evaluateOnNewDocument(initScript);
  await page.goto(new URL('www/demo/', proxied ? env.proxy.url : env.server.url).href);
  await waitInPage(page, () => document.body.dataset.ready !== undefined, null, { timeoutMs: LOAD_MS, what: 'the demo settled' });
  return { page, problems, urls };
}

/** Sets a control of the demo as a user would (its value, then the event the page listens to) and waits until Backdrop has it. */
async function setControl(page, id, value, applied = () => true) {
  await page.evaluate(([id, value]) => {
    const control = document.getElementById(id);
    if (control.type === 'checkbox') control.checked = value;
    else control.value = value;
    control.dispatchEvent(new Event(id.includes('strength') || id.includes('softness') ? 'input' : 'change', { bubbles: true }));
  }, [id, value]);
  await eventually(async () => {
    const state = JSON.parse((await page.evaluate(() => document.body.dataset.applied)) || 'null');
    return state && applied(state);
  }, { what: `${id} = ${value} applied`, timeoutMs: 15_000 });
}

test('the demo in Firefox: SIMD and the canvas path in the panel, blur, remove, replace, the test call', async () => {
  const { page, problems, urls } = await openDemo();
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  const stats = await eventually(async () => {
    const s = await readStatsPanel(page);
    return { ok: s.framesProcessed > 0 && s.state === 'running', ...s };
  }, { what: 'processed frames in the stats panel' });
  assert.equal(stats.build, 'SIMD');
  assert.match(stats.path, /^canvas/);
  assert.equal(await page.evaluate(() => document.getElementById('build-notice').hidden), true);
  // Blur (the default): the wall's colour stays (blurred), it is not the privacy frame.
  const wall = await Promise.all(CORNERS.map((region) => meanRgba(page, '#camera', region)));
  await eventually(async () => {
    const means = await Promise.all(CORNERS.map((region) => meanRgba(page, '#processed', region)));
    return { ok: means.every((m, i) => m && colourDistance(m, wall[i]) <= 30), means, wall };
  }, { what: 'the blurred wall in the processed view' });

  await setControl(page, 'mode', 'remove', (a) => a.mode === 'remove');
  await setControl(page, 'remove-color', '#ff00ff', (a) => a.color === '#ff00ff');
  await backgroundBecomes(page, MAGENTA, 'magenta background in the processed view');

  await setControl(page, 'mode', 'replace', (a) => a.mode === 'replace' && a.background === 'office');
  const expected = await Promise.all(CORNERS.map((region) => expectedCoverMean(page, 'backgrounds/office.png', [640, 480], region)));
  assert.ok(expected.every((e, i) => colourDistance(e, wall[i]) > 40), 'the office background differs from the wall, so the check means something');
  await eventually(async () => {
    const means = await Promise.all(CORNERS.map((region) => meanRgba(page, '#processed', region)));
    return { ok: means.every((m, i) => m && colourDistance(m, expected[i]) <= 25), means, expected };
  }, { what: 'the office background in the processed view' });

  // The test call: a loopback RTCPeerConnection on the page, the remote video the processed track.
  await setControl(page, 'mode', 'remove', (a) => a.mode === 'remove');
  await page.evaluate(() => document.getElementById('call').click());
  await waitInPage(page, () => document.body.dataset.call === 'on', null, { timeoutMs: 15_000, what: 'the test call on' });
  await backgroundBecomes(page, MAGENTA, 'magenta background in the remote video', { selector: '#remote', tolerance: 60 });
  console.log(`# Firefox demo: ${JSON.stringify(await readStatsPanel(page))}`);
  assert.deepEqual(networkOrigins(urls), [new URL(env.server.url).origin], 'no request to any other origin');
  assert.deepEqual(problems, []);
});

test('the demo in Firefox: its messages for a denied camera and for a model that fails to load', async () => {
  const denied = await openDemo({ initScript: "navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('simulated', 'NotAllowedError'); };" });
  assert.equal(await denied.page.evaluate(() => document.body.dataset.camera), 'NotAllowedError');
  assert.match(await denied.page.evaluate(() => document.getElementById('status').textContent), /Camera permission was denied/);
  assert.equal(await denied.page.evaluate(() => document.body.dataset.ready), 'true', 'the model still loads');
  assert.deepEqual(denied.problems, []);

  for (const model of ['/selfie_general.onnx', '/selfie_landscape.onnx']) env.proxy.fail(model, { kind: 'status', status: 404 });
  const failing = await openDemo({ proxied: true });
  assert.equal(await failing.page.evaluate(() => document.body.dataset.ready), 'error');
  const status = await failing.page.evaluate(() => document.getElementById('status').textContent);
  assert.match(status, /The model failed to load .*HTTP 404.*fail-closed/);
  await waitInPage(failing.page, () => document.getElementById('state').textContent === 'failclosed', null, { timeoutMs: 5_000, what: 'failclosed in the panel' });
  // What others would see: the privacy frame over the face too.
  const face = await eventually(async () => {
    const sample = await sampleVideo(failing.page, '#processed', REGIONS.person, [0x20, 0x21, 0x24], 8);
    return { ok: sample?.fraction > 0.99, sample };
  }, { what: 'the privacy frame over the face' });
  assert.ok(face.sample.fraction > 0.99);
  console.log(`# Firefox demo, model 404: "${status}"`);
});
