// Proof of fail-closed: faults injected into a running Backdrop, each test in both frame
// paths (insertable streams and canvas), with every output frame audited
// (tests/pages/audit.js: processed, privacy frame, or leak: the clip's blue wall visible
// in a background corner, in remove mode with a magenta fill). Every test asserts zero
// leaks and, where Backdrop is meant to recover, that it is `running` again within the
// time the test states. Each prints its counts and recovery time, and the file ends with
// the whole table (docs/RELIABILITY.md has the results of a run).
//
// Faults: the model fetch fails (404), is slow (50 kB/s), is cut short, hangs, is not ONNX, is
// an ONNX of another shape; a wasm trap in the middle of a frame, once and on every frame
// (the restart back-off grows); the worker terminated from outside, or closing itself;
// frames stalled beyond maxFrameDelayMs and released; destroy() during the load, during
// a frame, twice; process() twice; the camera track stopped; the camera's resolution
// changed mid-stream; a storm of valid and invalid setOptions.

import { test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser } from '../lib/setup.mjs';
import { startFaultProxy } from '../lib/fault-server.mjs';
import { testHook } from '../lib/harness.mjs';
import { eventually } from '../lib/pixels.mjs';
import {
  assertNoLeaks, auditCounts, describeAudit, failures, firstProcessedAfter, pageNow, states, stopAudit, waitForState, waitProcessedRun,
} from '../lib/audit.mjs';

const PATHS = ['insertable-streams', 'canvas'];
const BASE = { source: 'camera', mode: 'remove', color: '#ff00ff', testHooks: true, audit: true };
/** How long a first load may take on a loaded 2-core machine (it is about 1 to 3 s). */
const LOAD_MS = 30_000;
/** The restart pauses of www/src/client.ts (restartDelayMs), restated to check the back-off from outside. */
const RESTART_DELAYS_MS = [500, 1000, 2000, 4000];

const env = useServerAndBrowser('harness', async (env) => {
  env.proxy = await startFaultProxy(env.server.url);
});
after(() => env.proxy?.stop());

/** Pages still open (a failed test leaves its own): closed after each test, faults cleared. */
const openPages = new Set();
afterEach(async () => {
  env.proxy?.clear();
  for (const page of openPages) await page.close().catch(() => undefined);
  openPages.clear();
});

/** The results table, printed after the last test. */
const rows = [];
/** The recoveries of the current test, when it injects more than one fault. */
const recoveries = [];
after(() => {
  console.log('# | fault | path | processed | privacy | leaks | longest privacy run | recovery |');
  console.log('# | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const recovery = r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`;
    console.log(`# | ${r.fault} | ${r.path} | ${r.processed} | ${r.privacy} | ${r.leak} | ${r.run} (${(r.runMs / 1000).toFixed(1)} s) | ${recovery} |`);
  }
});

/** Opens the harness through the fault proxy and starts Backdrop on `path`; records the Backdrop workers started. */
async function open(path, options = {}) {
  const page = await env.browser.newPage();
  openPages.add(page);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const workers = [];
  page.on('worker', (worker) => {
    if (!worker.url().includes('/worker/index.js')) return; // not the canvas path's clock
    const entry = { created: Date.now(), closed: null };
    workers.push(entry);
    worker.on('close', () => { entry.closed = Date.now(); });
  });
  await page.goto(env.proxy.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
  const startedAt = await pageNow(page);
  await page.evaluate((o) => window.harness.start(o), { ...BASE, path, ...options });
  return { page, errors, workers, startedAt };
}

/**
 * Waits for a run of processed frames after `after`, stops the auditor, asserts no leak,
 * prints and records the row. Recovery: from `recoveryFrom` (the fault, or the start) to
 * the first processed frame after `failedAt` (when Backdrop failed closed; default
 * `recoveryFrom`).
 */
async function finish({ page, errors }, fault, path, { after = 0, recoveryFrom = null, failedAt = recoveryFrom, timeoutMs = 20_000, record = true } = {}) {
  await waitProcessedRun(page, { after, timeoutMs });
  const counts = await stopAudit(page);
  const recoveredAt = recoveryFrom === null ? null : firstProcessedAfter(counts, failedAt);
  const recoveryMs = recoveredAt === null ? null : Math.round(recoveredAt - recoveryFrom);
  console.log(`# ${fault} (${path}): ${describeAudit(counts)}; recovery ${recoveryMs ?? '-'} ms`);
  if (record) rows.push({
    fault, path, processed: counts.processed, privacy: counts.privacy, leak: counts.leak,
    run: counts.longestPrivacyRun, runMs: Math.round(counts.longestPrivacyRunMs), recoveryMs,
  });
  assertNoLeaks(counts, `${fault} (${path})`);
  assert.deepEqual(errors, [], 'no uncaught error in the page');
  await page.close();
  return { counts, recoveryMs };
}

/** Running, with a run of processed frames: the state before a fault is injected. */
async function untilRunning(page) {
  await waitForState(page, 'running', { timeoutMs: LOAD_MS });
  await waitProcessedRun(page, { n: 10, timeoutMs: LOAD_MS });
}

for (const path of PATHS) {
  test(`the auditor: the raw camera is a leak in every frame with a picture, Backdrop's output never (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    // The camera itself (a clone of its track), through the same auditor: what a leak looks like.
    await page.evaluate(() => { window.harness.session.raw = window.harness.auditTrack(window.harness.session.camera.clone()); });
    await new Promise((r) => setTimeout(r, 1500));
    const raw = await stopAudit(page, 'raw');
    console.log(`# raw camera (${path}): ${describeAudit(raw)}`);
    assert.ok(raw.leak >= 20, `the raw camera is classified as a leak: ${describeAudit(raw)}`);
    assert.equal(raw.processed, 0, `no raw frame passes for processed: ${describeAudit(raw)}`);
    assert.ok(raw.minWallLeak > 0.9, `the raw corners are nearly all wall, far over the threshold: ${describeAudit(raw)}`);
    const { counts } = await finish(session, 'none (baseline)', path);
    assert.ok(counts.maxWallNotLeak < 0.05, `processed corners have next to no wall-blue: ${describeAudit(counts)}`);
  });

  // --- a. the model fetch fails ---------------------------------------------------

  const modelFaults = [
    { name: 'model 404, twice', fault: { kind: 'status', status: 404 }, times: 2, reason: /HTTP 404/ },
    { name: 'model cut short (connection dropped)', fault: { kind: 'truncate', keep: 0.5, honestLength: false }, times: 1, reason: /could not start/ },
    { name: 'model cut short (honest length)', fault: { kind: 'truncate', keep: 0.5, honestLength: true }, times: 1, reason: /could not start/ },
    { name: 'model not ONNX', fault: { kind: 'bytes', body: noise(200_000) }, times: 1, reason: /could not start/ },
    // A quarter of the bytes, then silence with the connection open: the stall limit
    // (www/src/worker/load.ts, STALL_MS: 15 s) ends it, and the retry loads.
    { name: 'model download hangs', fault: { kind: 'hang', keep: 0.25 }, times: 1, reason: /no data for 15 s/ },
  ];
  for (const { name, fault, times, reason } of modelFaults) {
    test(`${name}: fail-closed, retried with back-off, running within ${LOAD_MS / 1000} s (${path})`, async () => {
      env.proxy.fail('/selfie_general.onnx', fault, times);
      const session = await open(path);
      const failed = await waitForState(session.page, 'failclosed', { timeoutMs: LOAD_MS, reason });
      const running = await waitForState(session.page, 'running', { after: failed.at, timeoutMs: LOAD_MS });
      assert.equal(env.proxy.served['/selfie_general.onnx'], times, 'every fault was served');
      assert.ok(session.workers.length >= times + 1, `a new worker per retry: ${session.workers.length}`);
      console.log(`# ${name} (${path}): '${failed.reason}', running ${Math.round(running.at - session.startedAt)} ms after start`);
      await finish(session, name, path, { after: running.at, recoveryFrom: session.startedAt, failedAt: failed.at });
    });
  }

  test(`a valid ONNX of another input shape (the landscape model, 144x256, as the general one): it runs, nothing leaks (${path})`, async () => {
    env.proxy.fail('/selfie_general.onnx', { kind: 'other', path: '/www/pkg/models/selfie_landscape.onnx' }, 1);
    const session = await open(path);
    const running = await waitForState(session.page, 'running', { timeoutMs: LOAD_MS });
    assert.equal(env.proxy.served['/selfie_general.onnx'], 1);
    console.log(`# other model shape (${path}): running ${Math.round(running.at - session.startedAt)} ms after start`);
    await finish(session, 'model of another shape', path, { recoveryFrom: session.startedAt });
  });

  test(`model served at 50 kB/s: privacy frames while it loads, then running within 60 s (${path})`, async () => {
    env.proxy.fail('/selfie_general.onnx', { kind: 'slow', bytesPerSecond: 50_000 }, 1);
    env.proxy.fail('/selfie_landscape.onnx', { kind: 'slow', bytesPerSecond: 50_000 }, 1);
    const session = await open(path);
    const running = await waitForState(session.page, 'running', { timeoutMs: 60_000 });
    const log = await states(session.page);
    assert.deepEqual(log.map((e) => e.state), ['loading', 'running'], `a slow load is not a failure: ${JSON.stringify(log)}`);
    assert.equal(session.workers.length, 1, 'the watchdog left the loading worker alone');
    console.log(`# slow model (${path}): running ${Math.round(running.at - session.startedAt)} ms after start`);
    const { counts } = await finish(session, 'model at 50 kB/s', path, { recoveryFrom: session.startedAt });
    assert.ok(counts.longestPrivacyRunMs > 2000, `privacy frames throughout the slow load: ${describeAudit(counts)}`);
  });

  // --- b. a wasm trap in the middle of a frame -----------------------------------

  test(`a wasm trap in a frame: the worker is replaced, running again within 20 s (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    const faultAt = await pageNow(page);
    await testHook(page, { hook: 'trap', frames: 'next' });
    const failed = await waitForState(page, 'failclosed', { after: faultAt, reason: /trapped in the middle of a frame/ });
    const running = await waitForState(page, 'running', { after: failed.at, timeoutMs: 20_000 });
    assert.equal(session.workers.length, 2, 'one new worker');
    console.log(`# trap (${path}): '${failed.reason}', running again after ${Math.round(running.at - faultAt)} ms`);
    await finish(session, 'wasm trap, once', path, { after: running.at, recoveryFrom: faultAt, failedAt: failed.at });
  });

  test(`a wasm trap on every frame: each new worker waits longer (the back-off holds), running within 30 s once it stops (${path})`, async () => {
    const session = await open(path);
    const { page, workers } = session;
    await untilRunning(page);
    const faultAt = await pageNow(page);
    await testHook(page, { hook: 'trap', frames: 'every' });
    const failed = await waitForState(page, 'failclosed', { after: faultAt, reason: /trapped/ });
    // Two workers trap in turn; the pauses before the next ones must be 0.5 and then 1 s (a
    // worker that traps on its first frame never resets the count), not 0.5 s each time.
    const deadline = Date.now() + 40_000;
    while (workers.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await testHook(page, { hook: 'trap', frames: 'none' });
    assert.equal(workers.length, 3, `two restarts within 40 s: ${JSON.stringify(workers)}`);
    const pauses = [0, 1].map((k) => workers[k + 1].created - (workers[k].closed ?? workers[k].created));
    console.log(`# trap on every frame (${path}): pauses before each restart ${pauses.join(', ')} ms; '${failed.reason}'`);
    pauses.forEach((pause, k) => assert.ok(pause >= 0.9 * RESTART_DELAYS_MS[k], `pause ${k} was ${pause} ms, under ${RESTART_DELAYS_MS[k]} ms`));
    const traps = (await failures(page)).filter((e) => e.at >= faultAt && /trapped/.test(e.reason));
    assert.ok(traps.length >= 2, `a failclosed event for each trap: ${JSON.stringify(traps)}`);
    const stoppedAt = await pageNow(page);
    const running = await waitForState(page, 'running', { after: failed.at, timeoutMs: 30_000 });
    await finish(session, 'wasm trap, every frame', path, { after: running.at, recoveryFrom: stoppedAt });
  });

  // --- c. the worker dies without a word -------------------------------------------

  test(`the worker dies without a word (terminated from outside, then closing itself): the watchdog replaces it each time, running again within 25 s (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    const deaths = [
      { name: 'worker terminated from outside', kill: () => page.evaluate(() => window.harness.session.hooks.terminateWorker()) },
      { name: 'worker closed its own scope', kill: () => testHook(page, { hook: 'close' }) },
    ];
    let after = 0;
    for (const [i, { name, kill }] of deaths.entries()) {
      await waitProcessedRun(page, { after, n: 10 });
      const faultAt = await pageNow(page);
      await kill();
      const failed = await waitForState(page, 'failclosed', { after: faultAt, timeoutMs: 15_000 });
      const running = await waitForState(page, 'running', { after: failed.at, timeoutMs: 25_000 });
      const reported = await failures(page);
      assert.ok(
        reported.some((e) => e.at >= faultAt && /the worker stopped answering/.test(e.reason)),
        `${name}: a failclosed event says the worker stopped answering (the first may be a late frame): ${JSON.stringify(reported)}`,
      );
      assert.equal(session.workers.length, i + 2, `${name}: one new worker`);
      await waitProcessedRun(page, { after: running.at, n: 10 });
      const counts = await auditCounts(page);
      const recoveryMs = Math.round(firstProcessedAfter(counts, failed.at) - faultAt);
      console.log(`# ${name} (${path}): '${failed.reason}', running again after ${Math.round(running.at - faultAt)} ms, processed frames after ${recoveryMs} ms`);
      recoveries.push({ name, recoveryMs });
      after = running.at;
    }
    const { counts } = await finish(session, 'worker terminated, then closed', path, { record: false });
    rows.push({ fault: `worker terminated from outside, then closed itself (recovery ${recoveries.map((r) => `${(r.recoveryMs / 1000).toFixed(1)} s`).join(', ')})`, path,
      processed: counts.processed, privacy: counts.privacy, leak: counts.leak, run: counts.longestPrivacyRun,
      runMs: Math.round(counts.longestPrivacyRunMs), recoveryMs: Math.max(...recoveries.map((r) => r.recoveryMs)) });
    recoveries.length = 0;
  });

  // --- d. frames stalled beyond maxFrameDelayMs, then released ----------------------

  test(`the worker blocked 2.5 s with maxFrameDelayMs 500: privacy frames, the same worker running again within 5 s of the release (${path})`, async () => {
    const session = await open(path, { maxFrameDelayMs: 500 });
    const { page } = session;
    await untilRunning(page);
    const faultAt = await pageNow(page);
    await testHook(page, { hook: 'stall', ms: 2500 });
    const failed = await waitForState(page, 'failclosed', { after: faultAt, reason: /longer than 500 ms/ });
    const running = await waitForState(page, 'running', { after: failed.at, timeoutMs: 10_000 });
    assert.ok(running.at - faultAt < 2500 + 5000, `running ${Math.round(running.at - faultAt)} ms after the stall began`);
    assert.equal(session.workers.length, 1, 'a blocked worker that comes back is not replaced');
    const { counts } = await finish(session, 'worker blocked 2.5 s', path, { after: running.at, recoveryFrom: faultAt, failedAt: failed.at });
    // The worker holds a frame for 2.5 s; from the 500 ms deadline on the output must be
    // privacy frames, not a frozen picture. How many the camera delivers meanwhile varies
    // with the machine's load (a run of 790 ms measured once on a fresh machine's first
    // test run), so this asks for a run of at least 500 ms: a quarter of the blocked time.
    assert.ok(counts.longestPrivacyRunMs >= 500, `privacy frames while blocked: ${describeAudit(counts)}`);
  });

  // --- e. destroy and process ------------------------------------------------------

  test(`destroy() during the load, during a frame, twice: output ended, nothing leaks, ready rejects (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    // During the load: destroyed at once.
    const duringLoad = await page.evaluate(async () => {
      const { backdrop, output } = window.harness.session;
      backdrop.destroy();
      const ready = await backdrop.ready.then(() => 'resolved', (e) => `rejected: ${e.message}`);
      await new Promise((r) => setTimeout(r, 300));
      return { ready, state: backdrop.state, output: output.readyState };
    });
    assert.match(duringLoad.ready, /^rejected: .*destroyed/);
    assert.equal(duringLoad.state, 'destroyed');
    assert.equal(duringLoad.output, 'ended');
    const first = await stopAudit(page);
    assert.equal(first.error, null);
    assert.equal(first.leak, 0, `destroy during load (${path}): ${describeAudit(first)}`);
    assert.equal(first.processed, 0, 'nothing processed before the model loaded');
    console.log(`# destroy during load (${path}): ${describeAudit(first)}`);

    // During a frame: a new Backdrop, the worker blocked in a frame, destroyed meanwhile; then again.
    await page.evaluate((o) => window.harness.start(o), { ...BASE, path });
    await untilRunning(page);
    await testHook(page, { hook: 'stall', ms: 1500 });
    const duringFrame = await page.evaluate(async () => {
      const { backdrop, output } = window.harness.session;
      await new Promise((r) => setTimeout(r, 300));
      backdrop.destroy();
      backdrop.destroy();
      let setOptions = 'accepted';
      await backdrop.setOptions({ blurStrength: 0.1 }).catch((e) => { setOptions = e.message; });
      let process = 'accepted';
      try { backdrop.process(new MediaStream([window.harness.session.camera])); } catch (e) { process = e.message; }
      await new Promise((r) => setTimeout(r, 2000)); // the blocked frame comes back meanwhile
      return { state: backdrop.state, output: output.readyState, setOptions, process };
    });
    assert.equal(duringFrame.state, 'destroyed');
    assert.equal(duringFrame.output, 'ended');
    assert.match(duringFrame.setOptions, /destroyed/);
    assert.match(duringFrame.process, /destroyed/);
    const counts = await stopAudit(page);
    console.log(`# destroy during a frame (${path}): ${describeAudit(counts)}`);
    rows.push({ fault: 'destroy() during load, during a frame, twice', path, processed: counts.processed, privacy: counts.privacy + first.privacy,
      leak: counts.leak + first.leak, run: Math.max(counts.longestPrivacyRun, first.longestPrivacyRun),
      runMs: Math.round(Math.max(counts.longestPrivacyRunMs, first.longestPrivacyRunMs)), recoveryMs: null });
    assertNoLeaks(counts, `destroy during a frame (${path})`);
    assert.deepEqual(session.errors, []);
    await page.close();
  });

  test(`process() twice on one Backdrop: both outputs processed, neither leaks (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    await page.evaluate((path) => {
      const s = window.harness.session;
      s.second = s.backdrop.process(new MediaStream([s.camera]), { path });
      s.secondAudit = window.harness.auditTrack(s.second.getVideoTracks()[0]);
    }, path);
    const second = await waitProcessedRun(page, { n: 10, which: 'secondAudit' });
    await waitProcessedRun(page, { n: 10, after: await pageNow(page) });
    const secondCounts = await stopAudit(page, 'secondAudit');
    console.log(`# second output (${path}): ${describeAudit(secondCounts)}`);
    assertNoLeaks(secondCounts, `second output (${path})`);
    assert.ok(second.processed >= 10);
    assert.equal((await states(page)).at(-1).state, 'running');
    await finish(session, 'process() twice', path);
  });

  // --- f. the camera and the options -------------------------------------------------

  test(`the camera track stopped: the output ends within 5 s, nothing leaks (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    const ended = await page.evaluate(async () => {
      const { camera, output } = window.harness.session;
      camera.stop();
      const start = performance.now();
      for (let i = 0; i < 100 && output.readyState !== 'ended'; i++) await new Promise((r) => setTimeout(r, 50));
      return { output: output.readyState, ms: Math.round(performance.now() - start) };
    });
    assert.equal(ended.output, 'ended', `the output track ends when its input does: ${JSON.stringify(ended)}`);
    const counts = await stopAudit(page);
    console.log(`# camera stopped (${path}): output ended after ${ended.ms} ms; ${describeAudit(counts)}`);
    rows.push({ fault: 'camera track stopped', path, processed: counts.processed, privacy: counts.privacy, leak: counts.leak,
      run: counts.longestPrivacyRun, runMs: Math.round(counts.longestPrivacyRunMs), recoveryMs: null });
    assertNoLeaks(counts, `camera stopped (${path})`);
    assert.deepEqual(session.errors, []);
    await page.close();
  });

  test(`the input changes resolution mid-stream (640x480, 1280x720, 320x240, portrait 480x640, back): each size processed at its size, nothing leaks (${path})`, async () => {
    // The source is a canvas the page draws the camera into at each size (harness.sizedSource;
    // a portrait canvas squeezes the picture: its top corners stay wall).
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    await page.evaluate((path) => window.harness.sizedSource({ width: 640, height: 480, path }), path);
    const sizes = [[640, 480], [1280, 720], [320, 240], [480, 640], [640, 480]];
    for (const [i, [width, height]] of sizes.entries()) {
      await page.evaluate(([w, h]) => window.harness.session.resize(w, h), [width, height]);
      const need = i === sizes.length - 1 ? 10 + 10 : 10; // 640x480 comes twice
      await eventually(async () => {
        const counts = await auditCounts(page, 'sizedAudit');
        return { ok: counts.sizes[`${width}x${height}`]?.processed >= need, sizes: counts.sizes };
      }, { what: `processed frames at ${width}x${height}`, timeoutMs: 20_000 });
    }
    await page.evaluate(() => window.harness.session.stopDrawing());
    const resized = await stopAudit(page, 'sizedAudit');
    console.log(`# resolution changes (${path}): ${describeAudit(resized)}`);
    assertNoLeaks(resized, `resolution changes (${path})`);
    await finish(session, 'the camera\'s output beside it', path, { record: false });
    rows.push({ fault: 'input resolution changes', path, processed: resized.processed, privacy: resized.privacy, leak: resized.leak,
      run: resized.longestPrivacyRun, runMs: Math.round(resized.longestPrivacyRunMs), recoveryMs: null });
  });

  test(`a storm of 400 random setOptions while frames flow: invalid ones rejected naming the option, no leak, running (${path})`, async () => {
    const session = await open(path);
    const { page } = session;
    await untilRunning(page);
    const storm = await page.evaluate(runStorm, { count: 400, seed: path.length });
    console.log(`# storm (${path}): ${storm.valid} valid, ${storm.invalid} invalid (${storm.badErrors.length} with a wrong error), options as expected: ${storm.optionsMatch}`);
    assert.deepEqual(storm.badErrors, [], 'each invalid change is rejected with an error naming its option, each valid one accepted');
    assert.ok(storm.valid > 100 && storm.invalid > 100, JSON.stringify(storm));
    assert.ok(storm.optionsMatch, `the options are the last valid ones: ${JSON.stringify(storm.mismatch)}`);
    const after = await pageNow(page);
    await waitForState(page, 'running', { timeoutMs: 10_000 });
    await finish(session, `setOptions storm (${storm.valid} valid, ${storm.invalid} invalid)`, path, { after });
  });
}

/** `n` bytes of seeded noise: not an ONNX model. */
function noise(n) {
  const bytes = new Uint8Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    bytes[i] = seed >> 16;
  }
  return bytes;
}

/**
 * In the page: `count` random option changes on the running Backdrop, about half of them
 * invalid, with pauses so that frames flow between them. The mode stays 'remove' and
 * every fill is a colour that is not blue, so the auditor's rule holds throughout.
 */
async function runStorm({ count, seed }) {
  const backdrop = window.harness.session.backdrop;
  let s = seed * 7919 + 1;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const COLORS = ['#ff00ff', '#00b140', '#ff0000', '#ffff00', '#000000', '#ffffff', '#808080', '#ff8800', '#00ff00', '#ff00ff80'];
  const number = (name, max) => [
    () => ({ change: { [name]: Math.round(random() * max * 100) / 100 }, valid: true }),
    () => ({ change: { [name]: pick([max + 0.5, -0.25, Number.NaN, '0.5', null]) }, valid: false, names: name }),
  ];
  const generators = [
    ...number('blurStrength', 1), ...number('edgeSoftness', 1), ...number('temporalSmoothing', 0.95), ...number('lightWrap', 1),
    () => ({ change: { color: pick(COLORS) }, valid: true }),
    () => ({ change: { color: pick(['red', '#12345', '#gggggg', 7, '']) }, valid: false, names: 'color' }),
    () => ({ change: { model: pick(['auto', 'general', 'landscape']) }, valid: true }),
    () => ({ change: { model: pick(['tiny', '', 3]) }, valid: false, names: 'model' }),
    () => ({ change: { refinement: pick(['guided', 'bilateral', 'bilinear']) }, valid: true }),
    () => ({ change: { refinement: pick(['sharp', null]) }, valid: false, names: 'refinement' }),
    () => ({ change: { quality: pick(['auto', 0, 1, 2, 3, 4]) }, valid: true }),
    () => ({ change: { quality: pick([5, -1, 1.5, 'fast', null]) }, valid: false, names: 'quality' }),
    () => ({ change: { maxFrameDelayMs: pick([300, 500, 1000, 2000]) }, valid: true }),
    () => ({ change: { maxFrameDelayMs: pick([0, -5, 'x', Number.POSITIVE_INFINITY]) }, valid: false, names: 'maxFrameDelayMs' }),
    () => ({ change: { mode: 'remove' }, valid: true }),
    () => ({ change: { mode: pick(['erase', 'replace', '']) }, valid: false, names: 'mode' }),
    () => ({ change: { backgroundImage: pick(['office.png', 42, {}]) }, valid: false, names: 'backgroundImage' }),
    () => ({ change: { [pick(['blurStrenght', 'colour', 'debugSlowdown'])]: 1 }, valid: false, names: 'unknown option' }),
  ];
  const expected = { ...backdrop.options };
  const result = { valid: 0, invalid: 0, badErrors: [], optionsMatch: false, mismatch: null };
  for (let i = 0; i < count; i++) {
    const { change, valid, names } = pick(generators)();
    let error = null;
    try {
      await backdrop.setOptions(change);
    } catch (e) {
      error = `${e.constructor.name}: ${e.message}`;
    }
    if (valid) {
      result.valid++;
      if (error) result.badErrors.push({ change, error });
      else Object.assign(expected, change);
    } else {
      result.invalid++;
      const named = names === 'unknown option' ? `unknown option '${Object.keys(change)[0]}'` : names;
      if (!error || !error.includes(named)) result.badErrors.push({ change: String(JSON.stringify(change)), error, expected: named });
    }
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 10));
  }
  const actual = backdrop.options;
  const keys = Object.keys(expected);
  result.optionsMatch = keys.every((k) => Object.is(actual[k], expected[k]));
  if (!result.optionsMatch) result.mismatch = keys.filter((k) => !Object.is(actual[k], expected[k])).map((k) => [k, actual[k], expected[k]]);
  return result;
}
