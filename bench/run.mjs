// Backdrop's benchmark driver: serves the repository on loopback, runs every configuration
// in its own fresh page of headless Chromium (one at a time), measures time to first
// processed frame, and writes docs/performance.json; report.mjs turns that into
// docs/PERFORMANCE.md and docs/performance.svg. Run it through `bash scripts/bench.sh`.
//
//   node bench/run.mjs [--quick] [--only SUBSTRING] [--out docs/performance.json]
//   node bench/run.mjs --only first-frame --merge   # only the cold start, into the --out file's other results
//
// The native stage numbers are read from criterion's last results under
// $CARGO_TARGET_DIR/criterion (scripts/bench.sh runs `cargo bench` first).

import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { simdLimitModules } from './simd_limit.mjs';
import { summarize } from './stats.mjs';
import { readCriterion } from './criterion.mjs';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium';
const FAKE_CAMERA = resolve(REPO_ROOT, 'tests/fixtures/build/person-640x480.y4m');
const CONFIG_TIMEOUT_MS = 10 * 60_000;
// This checkout's Cargo output: scripts/lib.sh decides where it is (and bench.sh exports it).
const targetDir = process.env.CARGO_TARGET_DIR ?? execFileSync('bash', ['-c',
  `source "${resolve(REPO_ROOT, 'scripts', 'lib.sh')}" && printf %s "$CARGO_TARGET_DIR"`], { encoding: 'utf8' });

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: resolve(REPO_ROOT, 'docs', 'performance.json') },
    // Keep the other sections of --out and replace only the cold start (with its own date and commit).
    merge: { type: 'boolean', default: false },
  },
});

// Flags as in tests/lib/browser.mjs (no network, root, no GPU), plus SwiftShader so that
// WebGL exists for MediaPipe's default path: the software GL is what headless Chromium
// on a machine without a GPU has.
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

const COUNTS = args.quick ? { warmup: 5, frames: 30 } : { warmup: 20, frames: 200 };
const SIZES = [[640, 480], [1280, 720]];
const MODELS = ['general', 'landscape'];

function configurations() {
  const list = [];
  for (const model of MODELS) {
    for (const [width, height] of SIZES) {
      const size = `${width}x${height}`;
      for (const build of ['simd', 'nosimd']) {
        list.push({ id: `backdrop-${build}/${model}/${size}`, runtime: 'backdrop', config: { build, model, width, height } });
      }
      list.push({ id: `mediapipe-webgl/${model}/${size}`, runtime: 'mediapipe', config: { model, width, height } });
      list.push({ id: `mediapipe-tasks-cpu/${model}/${size}`, runtime: 'mediapipeTasks', config: { model, width, height, delegate: 'CPU' } });
    }
    // onnxruntime-web takes the model tensor: the frame size does not matter to it.
    list.push({ id: `onnxruntime-web/${model}/tensor`, runtime: 'onnxruntime', config: { model, width: 640, height: 480 } });
  }
  return list.filter((c) => !args.only || c.id.includes(args.only));
}

function startServer() {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'bench', 'serve.mjs'), '--port', '0'], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => { stop(); reject(new Error(`bench server printed no URL in 30 s:\n${output}`)); }, 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /Backdrop bench: (http:\/\/\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolvePromise({ url: match[1], stop }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`bench server exited (${code}):\n${output}`)); });
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Runs `fn(page, problems, requests)` in a fresh context (empty cache) on `path`; collects
 * console errors, and every request the page and its workers made (`{url, bytes}`, the
 * response body's size) in the order they finished.
 */
async function inFreshPage(browser, url, fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  context.on('requestfinished', (request) => {
    request.sizes().then((sizes) => requests.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize }), () => {});
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  try {
    await page.goto(url);
    return await fn(page, problems, requests);
  } finally {
    await context.close();
  }
}

async function runConfigurations(browser, base) {
  const results = [];
  for (const { id, runtime, config } of configurations()) {
    const started = Date.now();
    process.stderr.write(`bench: ${id} ... `);
    try {
      const result = await inFreshPage(browser, `${base}bench/pages/`, async (page, problems) => {
        await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
        try {
          return await withTimeout(page.evaluate(([name, cfg]) => window.bench[name](cfg), [runtime, { ...config, ...COUNTS }]), CONFIG_TIMEOUT_MS, id);
        } catch (err) {
          throw new Error(`${err.message}${problems.length ? `\n  ${problems.slice(0, 5).join('\n  ')}` : ''}`);
        }
      });
      const summary = Object.fromEntries(Object.entries(result.samples).map(([k, v]) => [k, summarize(v)]));
      const samples = Object.fromEntries(Object.entries(result.samples).map(([k, v]) => [k, v.map((x) => Math.round(x * 1000) / 1000)]));
      results.push({ id, runtime, config, summary, samples, info: result.info });
      process.stderr.write(`${Object.entries(summary).map(([k, s]) => `${k} median ${s.median.toFixed(2)} p90 ${s.p90.toFixed(2)}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    } catch (err) {
      results.push({ id, runtime, config, error: err.message.split('\n')[0], details: err.message });
      process.stderr.write(`FAILED: ${err.message}\n`);
    }
  }
  return results;
}

async function runSimdLimit(browser, base) {
  if (args.only && !'simd-limit'.includes(args.only)) return null;
  const variants = await simdLimitModules();
  const iterations = args.quick ? 2e7 : 1e8;
  const result = await inFreshPage(browser, `${base}bench/pages/`, async (page) => {
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
    return page.evaluate((cfg) => window.bench.simdLimit(cfg), { variants, iterations, repeats: 5 });
  });
  const perVariant = result.results.map((r) => ({ accumulators: r.accumulators, gmacPerSecond: summarize(r.gmacPerSecond) }));
  const best = perVariant.reduce((a, b) => (b.gmacPerSecond.median > a.gmacPerSecond.median ? b : a));
  process.stderr.write(`bench: wasm SIMD multiply-add rate ${best.gmacPerSecond.median.toFixed(2)} GMAC/s (${best.accumulators} accumulators)\n`);
  return { iterations, perVariant, best };
}

async function runFirstFrame(base) {
  if (args.only && !'first-frame'.includes(args.only)) return null;
  if (!existsSync(FAKE_CAMERA)) throw new Error(`fake camera ${FAKE_CAMERA} missing: run bash scripts/build.sh`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 60_000,
    args: [...FLAGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${FAKE_CAMERA}`],
  });
  const runs = { backdrop: [], mediapipe: [] };
  try {
    // Alternating, so that a change in the machine's load touches both alike.
    for (let i = 0; i < (args.quick ? 3 : 7); i++) {
      for (const runtime of Object.keys(runs)) {
        const result = await inFreshPage(browser, `${base}bench/pages/first-frame.html?runtime=${runtime}`, async (page, _problems, requests) => {
          const r = await withTimeout(page.evaluate(() => window.firstFrame), 90_000, `first frame (${runtime})`);
          // Until the first processed frame (the page then destroys Backdrop and ends): the
          // wasm and model files one by one, the package's JS modules as a count.
          const cold = requests.slice();
          const js = cold.filter((q) => /\/www\/dist\/.*\.js$/.test(q.url));
          // A second start in the same context: the HTTP cache (and Chromium's cache of
          // compiled wasm code) warm.
          let warm = null;
          if (r.ok) {
            await page.goto(page.url());
            warm = await withTimeout(page.evaluate(() => window.firstFrame), 90_000, `second start (${runtime})`);
            if (!warm.ok) throw new Error(`second start (${runtime}): ${warm.error}`);
          }
          return {
            ...r,
            warm: warm && { sinceCreateMs: warm.sinceCreateMs, sinceImportMs: warm.sinceImportMs, loadMs: warm.loadMs, parseMs: warm.parseMs },
            requests: cold.filter((q) => /\.(wasm|onnx|tflite)$/.test(q.url)),
            packageModules: { count: js.length, bytes: js.reduce((n, q) => n + q.bytes, 0) },
          };
        });
        if (!result.ok) throw new Error(`time to first frame (${runtime}): ${result.error}`);
        runs[runtime].push(result);
      }
    }
  } finally {
    await browser.close();
  }
  const summary = {
    sinceCreateMs: summarize(runs.backdrop.map((r) => r.sinceCreateMs)),
    sinceImportMs: summarize(runs.backdrop.map((r) => r.sinceImportMs)),
    sinceNavigationMs: summarize(runs.backdrop.map((r) => r.sinceNavigationMs)),
    mediapipeSinceImportMs: summarize(runs.mediapipe.map((r) => r.sinceImportMs)),
    warmSinceCreateMs: summarize(runs.backdrop.map((r) => r.warm.sinceCreateMs)),
    mediapipeWarmSinceImportMs: summarize(runs.mediapipe.map((r) => r.warm.sinceImportMs)),
  };
  process.stderr.write(`bench: first processed frame ${summary.sinceCreateMs.median.toFixed(0)} ms after createBackdrop, ` +
    `${summary.sinceImportMs.median.toFixed(0)} ms after its import; MediaPipe Tasks CPU ${summary.mediapipeSinceImportMs.median.toFixed(0)} ms; second start ${summary.warmSinceCreateMs.median.toFixed(0)} ms, MediaPipe ${summary.mediapipeWarmSinceImportMs.median.toFixed(0)} ms (medians of ${runs.backdrop.length})\n`);
  return { runs: runs.backdrop, mediapipeRuns: runs.mediapipe, summary };
}

function modelMacs() {
  const python = resolve(REPO_ROOT, 'models/.venv/bin/python');
  const out = execFileSync(python, [resolve(REPO_ROOT, 'bench/macs.py'),
    resolve(REPO_ROOT, 'models/build/selfie_general.onnx'), resolve(REPO_ROOT, 'models/build/selfie_landscape.onnx')]);
  const parsed = JSON.parse(out.toString());
  return { general: parsed['selfie_general.onnx'], landscape: parsed['selfie_landscape.onnx'] };
}

function machine() {
  const git = (...a) => { try { return execFileSync('git', a, { cwd: REPO_ROOT }).toString().trim(); } catch { return null; } };
  return {
    cpu: os.cpus()[0]?.model ?? null,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()}`,
    node: process.version,
    commit: git('rev-parse', 'HEAD'),
    dirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    date: new Date().toISOString(),
  };
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
  let report;
  try {
    const browserInfo = await inFreshPage(browser, `${server.url}bench/pages/`, async (page) => {
      await page.waitForFunction(() => window.benchInfo !== undefined, null, { timeout: 30_000 });
      return page.evaluate(() => window.benchInfo());
    });
    const simdLimit = await runSimdLimit(browser, server.url);
    const results = await runConfigurations(browser, server.url);
    await browser.close();
    const firstFrame = await runFirstFrame(server.url);
    report = {
      quick: args.quick,
      counts: COUNTS,
      machine: machine(),
      browser: { version: browser.version(), flags: FLAGS, ...browserInfo },
      macs: modelMacs(),
      simdLimit,
      firstFrame,
      results,
      native: readCriterion(resolve(targetDir, 'criterion')),
      modelOps: existsSync(resolve(targetDir, 'model_ops.txt')) ? readFileSync(resolve(targetDir, 'model_ops.txt'), 'utf8') : null,
    };
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
  // The artefacts' sizes as a static server would send them (scripts/sizes.mjs).
  report.sizes = JSON.parse(execFileSync(process.execPath, [resolve(REPO_ROOT, 'scripts', 'sizes.mjs'), '--json'], { encoding: 'utf8' }));
  if (args.merge) {
    if (!report.firstFrame) throw new Error('--merge replaces the cold start: run it with --only first-frame');
    const kept = JSON.parse(readFileSync(args.out, 'utf8'));
    report = { ...kept, sizes: report.sizes, firstFrame: { ...report.firstFrame, machine: report.machine, browser: report.browser.version } };
  }
  mkdirSync(resolve(args.out, '..'), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 1)}\n`);
  process.stderr.write(`bench: wrote ${args.out}\n`);
}

await main();
