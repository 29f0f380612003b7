// Turns docs/performance.json (written by run.mjs) into docs/PERFORMANCE.md and the plot
// docs/performance.svg. Pure formatting: every number comes from the JSON.
//
//   node bench/report.mjs [docs/performance.json]

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { barChart } from './plot.mjs';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const jsonPath = resolve(process.argv[2] ?? resolve(REPO_ROOT, 'docs', 'performance.json'));
const docs = dirname(jsonPath);
const data = JSON.parse(readFileSync(jsonPath, 'utf8'));

const RUNTIMES = {
  'backdrop-simd': 'Backdrop, wasm SIMD build',
  'backdrop-nosimd': 'Backdrop, wasm fallback build (no SIMD)',
  'mediapipe-webgl': 'MediaPipe solution (@mediapipe/selfie_segmentation, SIMD wasm + WebGL)',
  'mediapipe-tasks-cpu': 'MediaPipe Tasks ImageSegmenter, CPU delegate',
  'onnxruntime-web': 'onnxruntime-web, wasm backend (SIMD, 1 thread)',
};

const ms = (v) => (v === undefined || Number.isNaN(v) ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const pair = (s) => (s ? `${ms(s.median)} / ${ms(s.p90)}` : '–');
const mb = (bytes) => (bytes / 1e6).toFixed(2);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
const ok = (met) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');

const byId = new Map(data.results.map((r) => [r.id, r]));
const get = (id) => byId.get(id);
const inferenceOf = (r) => r?.summary?.inferenceMs;
const totalOf = (r) => r?.summary?.totalMs;

const limit = data.simdLimit?.best?.gmacPerSecond?.median; // GMAC/s
const limitMs = (model) => (limit ? data.macs[model].macs / (limit * 1e6) : undefined);

function resultsTable() {
  const rows = ['| configuration | model | frame | inference ms (median / p90) | whole path ms (median / p90) | frames |', '|---|---|---|---|---|---|'];
  for (const r of data.results) {
    const [runtime, model, frame] = r.id.split('/');
    if (r.error) {
      rows.push(`| ${runtime} | ${model} | ${frame} | failed: ${r.error.replace(/\|/g, '\\|').slice(0, 160)} | | |`);
      continue;
    }
    const inference = inferenceOf(r);
    const total = totalOf(r);
    const isPeerCall = runtime.startsWith('mediapipe');
    rows.push(`| ${runtime} | ${model} | ${frame} | ${isPeerCall ? `(${pair(total)} incl. pre/post)` : pair(inference)} | ${runtime === 'onnxruntime-web' ? '–' : pair(total)} | ${total.n} |`);
  }
  return rows.join('\n');
}

function ratiosTable() {
  const rows = ['| model | frame | Backdrop SIMD inference | vs MediaPipe WebGL | vs MediaPipe Tasks CPU | vs onnxruntime-web | vs physical limit |', '|---|---|---|---|---|---|---|'];
  for (const model of ['general', 'landscape']) {
    for (const frame of ['640x480', '1280x720']) {
      const ours = inferenceOf(get(`backdrop-simd/${model}/${frame}`))?.median;
      const peer = (id) => totalOf(get(id))?.median;
      rows.push(`| ${model} | ${frame} | ${ms(ours)} ms | ${ratio(ours, peer(`mediapipe-webgl/${model}/${frame}`))} | ${ratio(ours, peer(`mediapipe-tasks-cpu/${model}/${frame}`))} | ${ratio(ours, peer(`onnxruntime-web/${model}/tensor`))} | ${ratio(ours, limitMs(model))} |`);
    }
  }
  return rows.join('\n');
}

function goals() {
  const rows = ['| goal | measured | result |', '|---|---|---|'];
  const hd = totalOf(get('backdrop-simd/landscape/1280x720'))?.median;
  rows.push(`| whole 1280×720 frame path ≤ 10 ms median, single-threaded (landscape model, what \`auto\` picks at 16:9; blur) | ${ms(hd)} ms | ${ok(hd === undefined ? null : hd <= 10)} |`);
  for (const model of ['general', 'landscape']) {
    const ours = inferenceOf(get(`backdrop-simd/${model}/640x480`))?.median;
    const peers = ['mediapipe-webgl', 'mediapipe-tasks-cpu']
      .map((p) => ({ p, v: totalOf(get(`${p}/${model}/640x480`))?.median }))
      .filter((x) => x.v !== undefined);
    const fastest = peers.reduce((a, b) => (!a || b.v < a.v ? b : a), null);
    rows.push(`| inference ≤ 0.8× MediaPipe's fastest path (${model}, 640×480) | ${ms(ours)} ms vs ${fastest ? `${ms(fastest.v)} ms (${fastest.p}) = ${ratio(ours, fastest.v)}` : 'no MediaPipe number'} | ${ok(ours === undefined || !fastest ? null : ours <= 0.8 * fastest.v)} |`);
  }
  for (const model of ['general', 'landscape']) {
    const ours = inferenceOf(get(`backdrop-simd/${model}/640x480`))?.median;
    const lim = limitMs(model);
    rows.push(`| inference within 2× of the physical limit (${model}) | ${ms(ours)} ms vs ${lim ? `${lim.toFixed(2)} ms = ${ratio(ours, lim)}` : '–'} | ${ok(ours === undefined || !lim ? null : ours <= 2 * lim)} |`);
  }
  const first = data.firstFrame?.summary?.sinceCreateMs?.median;
  rows.push(`| first processed frame ≤ 300 ms after \`createBackdrop()\` (cold start, median) | ${ms(first)} ms | ${ok(first === undefined ? null : first <= 300)} |`);
  const wire = data.sizes?.firstFrame?.simd?.general?.brotli;
  rows.push(`| everything the first frame needs ≤ 1.5 MB on the wire (SIMD build, general model, brotli) | ${wire === undefined ? '–' : `${mb(wire)} MB`} | ${ok(wire === undefined ? null : wire <= 1.5e6)} |`);
  const warm = data.firstFrame?.summary?.warmSinceCreateMs?.median;
  rows.push(`| second start ≤ 150 ms (HTTP cache warm, median) | ${ms(warm)} ms | ${ok(warm === undefined ? null : warm <= 150)} |`);
  return rows.join('\n');
}

function nativeTable() {
  if (!data.native?.length) return '_No native results: run without `--no-native`._';
  const rows = ['| group | benchmark | median ms |', '|---|---|---|'];
  for (const n of data.native) rows.push(`| ${n.group} | ${n.bench} | ${n.medianMs.toFixed(3)} |`);
  const oldest = data.native.map((n) => n.measuredAt).sort()[0];
  return `${rows.join('\n')}\n\nOldest of these measured at ${oldest}.`;
}

function limitSection() {
  if (!data.simdLimit) return '_Not measured in this run._';
  const variants = data.simdLimit.perVariant.map((v) => `${v.accumulators} accumulators: ${v.gmacPerSecond.median.toFixed(2)}`).join('; ');
  const models = ['general', 'landscape'].map((m) => `${m}: ${(data.macs[m].macs / 1e6).toFixed(1)} M multiply-adds → ${limitMs(m).toFixed(2)} ms`).join('; ');
  return `Peak rate ${limit.toFixed(2)} GMAC/s (median of 5 runs of ${data.simdLimit.iterations.toExponential(0)} iterations; per variant, GMAC/s: ${variants}). Models (Conv + ConvTranspose multiply-adds, bench/macs.py): ${models}.`;
}

/** The wasm and model files a run fetched (its page and worker, until its first processed frame). */
function fetchedList(run) {
  const list = (run?.requests ?? []).map((f) => `\`${f.url.split('/').pop()}\` ${mb(f.bytes)} MB`);
  const js = run?.packageModules;
  if (js?.count) list.push(`${js.count} JS modules of the package, ${(js.bytes / 1e3).toFixed(0)} kB`);
  return list.join(', ');
}

/** What a start downloads for its first frame, and the wasm modules, as scripts/sizes.mjs measured them. */
function sizeSection() {
  const s = data.sizes;
  if (!s) return '_Not measured in this run._';
  const rows = ['| what | raw MB | gzip -9 MB | brotli MB |', '|---|---:|---:|---:|'];
  for (const [build, models] of Object.entries(s.firstFrame)) {
    for (const [model, t] of Object.entries(models)) rows.push(`| first frame: ${build} build, ${model} model (package JS, wasm glue and module, one model) | ${mb(t.raw)} | ${mb(t.gzip)} | ${mb(t.brotli)} |`);
  }
  for (const [file, t] of Object.entries(s.files)) {
    if (/\.(wasm|onnx)$/.test(file)) rows.push(`| \`${file}\` | ${mb(t.raw)} | ${mb(t.gzip)} | ${mb(t.brotli)} |`);
  }
  return `${rows.join('\n')}\n\nMeasured by \`node scripts/sizes.mjs\` (\`bash scripts/build.sh\` prints it after every build): brotli at its best quality and gzip -9, as a static server would send the files precompressed.`;
}

function firstFrameSection() {
  const f = data.firstFrame;
  if (!f) return '_Not measured in this run._';
  const runs = f.runs.map((r) => ms(r.sinceCreateMs)).join(', ');
  const load = get('backdrop-simd/general/640x480')?.info?.load;
  const split = load
    ? ` Where a start's work goes, measured in the Backdrop SIMD page of this run (which loads both models, for the frame tables): fetching and compiling the wasm module ${ms(load.wasmFetchCompileMs)} ms, fetching both models ${ms(load.modelFetchMs)} ms, loading both models into tract (parse, optimise, plan) ${ms(load.modelsLoadMs)} ms. A package start loads one of them (the one its first frames want); the other when a frame first asks for it.`
    : '';
  const when = f.machine
    ? ` This section alone was measured on ${f.machine.date.slice(0, 10)} from commit \`${(f.machine.commit ?? '?').slice(0, 12)}\`${f.machine.dirty ? ' (with uncommitted changes)' : ''}, Chromium ${f.browser ?? '?'}, by \`bash scripts/bench.sh --first-frame\`; the rest of this page is from the run named at the top.`
    : '';
  const lines = [`${when}${split}`,
    `Median ${ms(f.summary.sinceCreateMs.median)} ms from \`createBackdrop()\` to the first processed frame (runs: ${runs} ms); ${ms(f.summary.sinceImportMs?.median)} ms from importing the package; ${ms(f.summary.sinceNavigationMs.median)} ms from navigation (includes opening the camera). Build: ${f.runs[0]?.build ?? '?'}, path: ${f.runs[0]?.path ?? '?'}, model: ${f.runs[0]?.model ?? '?'}, worker load ${ms(f.runs[0]?.loadMs)} ms.`];
  if (f.runs[0]?.requests) lines.push(`Fetched until the first processed frame (first run; the bodies as served, uncompressed): ${fetchedList(f.runs[0])}.`);
  const warm = f.summary.warmSinceCreateMs?.median;
  if (warm !== undefined) {
    lines.push(`A second start in the same context (HTTP cache warm: revalidated, 304 Not Modified; Chromium's compiled-wasm cache with it): median ${ms(warm)} ms from \`createBackdrop()\` (runs: ${f.runs.map((r) => ms(r.warm?.sinceCreateMs)).join(', ')} ms); MediaPipe's second start ${ms(f.summary.mediapipeWarmSinceImportMs?.median)} ms.`);
  }
  const mp = f.summary.mediapipeSinceImportMs?.median;
  if (mp !== undefined) {
    lines.push(`MediaPipe Tasks CPU in the same run, the same way (fresh context, the fake camera; import tasks-vision, its wasm fileset, \`ImageSegmenter\` with the general model, the first camera frame's confidence mask): median ${ms(mp)} ms (runs: ${f.mediapipeRuns.map((r) => ms(r.sinceImportMs)).join(', ')} ms). Backdrop from its import ÷ MediaPipe: ${ratio(f.summary.sinceImportMs.median, mp)}.`);
  }
  return lines.join('\n');
}

function limits() {
  const lines = [];
  for (const frame of ['640x480', '1280x720']) {
    const r = get(`backdrop-simd/landscape/${frame}`);
    const total = totalOf(r)?.median;
    const inference = inferenceOf(r)?.median;
    if (total !== undefined && inference !== undefined) {
      lines.push(`- ${frame}, landscape model, SIMD: inference is ${ms(inference)} ms of the ${ms(total)} ms whole path; the other ${ms(total - inference)} ms are colour conversion, preprocessing, mask refinement and compositing at full resolution, which grow with the frame while inference does not.`);
    }
  }
  const general = inferenceOf(get('backdrop-simd/general/640x480'))?.median;
  const tasks = totalOf(get('mediapipe-tasks-cpu/general/640x480'))?.median;
  const ort = totalOf(get('onnxruntime-web/general/tensor'))?.median;
  if (general !== undefined && limit) {
    lines.push(`- Inference runs at ${((data.macs.general.macs / 1e6) / general).toFixed(2)} GMAC/s on the general model against a loop peak of ${limit.toFixed(2)} GMAC/s: the model is mostly depthwise and 1×1 convolutions on small feature maps, where tract's wasm kernels spend their time on memory traffic and packing, not multiply-adds (see the per-op table: DepthWiseConv, OptMatMul and OptMatMulPack lead once Resize is fixed).`);
  }
  if (general !== undefined && (tasks !== undefined || ort !== undefined)) {
    lines.push(`- The peers on the same model: MediaPipe Tasks CPU (TFLite + XNNPACK) ${ms(tasks)} ms including its pre/post-processing, onnxruntime-web ${ms(ort)} ms; Backdrop ${ms(general)} ms. Their kernels (XNNPACK's depthwise and 1×1 convolutions in NHWC, fused activations) are what tract lacks on wasm; closing that gap means kernel work in tract or another engine, not changes in Backdrop's own stages.`);
  }
  lines.push('- wasm has no fused multiply-add in the SIMD build used here (relaxed-simd is not enabled) and the build is single-threaded, as the package must run everywhere (Galene included).');
  return lines.join('\n');
}

const plotRows = data.results.filter((r) => !r.error).map((r) => ({
  label: r.id,
  inference: inferenceOf(r)?.median,
  total: totalOf(r)?.median,
  totalP90: totalOf(r)?.p90,
}));
writeFileSync(resolve(docs, 'performance.svg'), barChart(plotRows, { title: `Median ms per frame (${data.machine.cpu}, ${data.machine.cores} cores, Chromium ${data.browser.version})` }));

const failures = data.results.filter((r) => r.error);
const md = `# Backdrop performance

Generated by \`bash scripts/bench.sh${data.quick ? ' --quick' : ''}\` on ${data.machine.date.slice(0, 10)} from commit \`${(data.machine.commit ?? '?').slice(0, 12)}\`${data.machine.dirty ? ' (with uncommitted changes)' : ''}. Do not edit: re-run the command.

Machine: ${data.machine.cpu}, **${data.machine.cores} cores** (a virtual machine: treat differences of a few per cent as noise), ${data.machine.memoryGiB} GiB, ${data.machine.platform}. Browser: headless Chromium ${data.browser.version} (\`${data.browser.userAgent}\`), no GPU: WebGL is SwiftShader (software). Every configuration runs alone in a fresh page, ${data.counts.warmup} warm-up frames then **${data.counts.frames} timed frames**, cycling through ${'8'} real photographs of people (models/IMAGES.md) cropped to the frame size; the same frames for every runtime.

![median ms per frame](performance.svg)

## Results

${resultsTable()}

What each number includes:
- **Backdrop** (\`www/pkg\`, the \`Processor\` the package's worker uses, blur mode): *inference* is the Processor's own timing of the model run (\`timings().inferenceMs\`); *whole path* is frame in → composited frame out, timed in JS as the package's worker does it with a camera frame: the frame's I420 planes copied into the Processor's input buffer, \`processI420Input\` (colour conversion, preprocessing, inference, refinement, blur compositing) and \`output()\` wrapped in a new RGBA \`VideoFrame\`.
- **MediaPipe solution** (default path): \`send({image: canvas})\` → \`onResults\`. Includes uploading the frame to WebGL, resizing to the model, inference (the solution's SIMD wasm, WebGL for image ops) and the mask as a GPU image, not read back. It is shown in the inference column in brackets because its inference cannot be timed alone. WebGL here is SwiftShader on the CPU, so this is *not* how it runs on a machine with a GPU.
- **MediaPipe Tasks, CPU delegate**: \`ImageSegmenter.segment(ImageData)\` → callback with the confidence mask (includes converting and resizing the frame).
- **onnxruntime-web**: \`session.run\` alone on the model's input tensor (computed before timing, from the same frames), wasm backend with SIMD and one thread.
- **frames**: the number of timed frames (the median and p90 are over these).
- **Same work, checked**: after timing, each runtime's mask of the first frame (a person in the middle) is read back where the runtime allows it; mean person probability in the centre ninth / top-left corner: ${data.results.filter((r) => r.info?.mask).map((r) => `${r.id.split('/').slice(0, 2).join(' ')} ${r.info.mask.centre}/${r.info.mask.corner}`).filter((v, i, a) => a.indexOf(v) === i).join(', ')}. (MediaPipe's solution returns a GPU image and is not read back.)
${failures.length ? `\nConfigurations that failed in this run (the full message is in performance.json):\n${failures.map((f) => `- \`${f.id}\`: ${f.error}`).join('\n')}\n` : ''}
## Ratios (Backdrop SIMD inference median ÷ the other's median; below 1 is faster)

${ratiosTable()}

## Physical limit

${limitSection()}
The limit is the model's multiply-adds divided by the rate of a loop that does nothing else (bench/simd_limit.mjs: K independent f32x4 accumulators, \`acc += w × v\`, no memory traffic), measured in the same browser. wasm SIMD has no fused multiply-add, so one multiply-add is two instructions.

## Time to first processed frame

${firstFrameSection()}
Each run is a fresh browser context (empty cache) loading bench/pages/first-frame.html, which opens the fake camera (tests/fixtures/build/person-640x480.y4m), then times \`createBackdrop()\` + \`process(camera)\` until the package's state becomes \`running\` (its first frame through the model, not the privacy frame). It includes importing the package's JS modules, fetching and compiling the wasm and fetching and parsing the one model the first frames want, from the loopback server (no compression; \`bash scripts/build.sh\` prints the sizes gzip and brotli would send). Backdrop and MediaPipe runs alternate, seven of each, in one browser.

## Download size

${sizeSection()}

## Goals

${goals()}

## What limits the rest

${limits()}

## Native stages (criterion, \`cargo bench -p backdrop-bench --bench stages\`)

${nativeTable()}

${data.modelOps ? `## Inference per op (native, \`cargo bench -p backdrop-bench --bench model_ops\`)

tract's optimised plan run node by node, every node timed; first as tract plans it, then as \`Segmenter\` plans it (with the models' linear (bilinear) Resize nodes replaced, see crates/backdrop-core/src/segment/linear_resize.rs).

<details><summary>per-op table</summary>

\`\`\`
${data.modelOps.trim()}
\`\`\`

</details>

` : ''}## How to run

    bash scripts/bench.sh            # everything (≈ 15 minutes on 2 cores)
    bash scripts/bench.sh --quick    # fewer frames, for trying changes
    bash scripts/bench.sh --no-native  # skip cargo bench, keep the last criterion numbers

Raw numbers (every frame's time) are in [performance.json](performance.json); \`node bench/report.mjs\` rewrites this file and the plot from it.
`;
writeFileSync(resolve(docs, 'PERFORMANCE.md'), md);
process.stderr.write(`bench: wrote ${resolve(docs, 'PERFORMANCE.md')} and performance.svg\n`);
