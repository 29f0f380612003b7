// One function per runtime under test. The driver (bench/run.mjs) opens a fresh page per
// configuration and calls `window.bench[runtime](config)`; each returns per-frame samples
// in milliseconds and what actually ran. Every loop is bounded by `config.frames`.

import { i420Of, loadFrames, modelTensor } from './frames.js';

const MODEL_FILES = {
  general: '/www/pkg/models/selfie_general.onnx',
  landscape: '/www/pkg/models/selfie_landscape.onnx',
};
const MODEL_SIZES = { general: [256, 256], landscape: [256, 144] };
const MEDIAPIPE = '/bench/node_modules/@mediapipe/selfie_segmentation';
const TASKS = '/bench/node_modules/@mediapipe/tasks-vision';
const ORT = '/bench/node_modules/onnxruntime-web/dist';

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * A plausibility check of a runtime's mask on the first frame (a person in the middle):
 * the mean of the centre ninth and of the top-left corner, on the mask's own scale.
 */
function maskCheck(values, width, height, scale = 1) {
  const mean = (x0, y0, x1, y1) => {
    let sum = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += values[y * width + x];
    return sum / ((x1 - x0) * (y1 - y0) * scale);
  };
  const w3 = Math.floor(width / 3);
  const h3 = Math.floor(height / 3);
  const round = (v) => Math.round(v * 1000) / 1000;
  return { centre: round(mean(w3, h3, 2 * w3, 2 * h3)), corner: round(mean(0, 0, Math.floor(width / 8), Math.floor(height / 8))) };
}

/** Waits for the next task so timers, callbacks and GC get a turn between frames. */
const yieldToLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs `step(frame)` `warmup` times untimed, then `frames` times; `step` returns
 * `{ totalMs, inferenceMs? }`. Frames are cycled in order.
 */
async function timeFrames(frames, { warmup, frames: count }, step) {
  const samples = { totalMs: [], inferenceMs: [] };
  for (let i = 0; i < warmup + count; i++) {
    const sample = await step(frames[i % frames.length]);
    if (i >= warmup) {
      samples.totalMs.push(sample.totalMs);
      if (sample.inferenceMs !== undefined) samples.inferenceMs.push(sample.inferenceMs);
    }
    if (i % 8 === 7) await yieldToLoop();
  }
  if (samples.inferenceMs.length === 0) delete samples.inferenceMs;
  return samples;
}

/**
 * Backdrop's wasm Processor, driven the way the package's worker drives it with a camera
 * frame in Chromium (www/src/worker.ts): `totalMs` is frame in → composited frame out,
 * i.e. copying the I420 planes into the Processor's input buffer, processI420Input
 * (colour conversion, preprocessing, inference, refinement, compositing) and wrapping
 * output() in a new RGBA VideoFrame. `inferenceMs` is the Processor's own timing of the
 * model run alone. With `input: 'rgba'` the frame goes in as RGBA bytes (processRgba).
 */
async function backdrop({ build, model, width, height, mode = 'blur', input = 'i420', ...counts }) {
  const frames = await loadFrames(width, height);
  const planes = frames.map((frame) => i420Of(frame.imageData));
  // Where a cold start goes: fetching + compiling the module, then loading both models.
  const loadStart = performance.now();
  const wasm = await import(`/www/pkg/backdrop_${build}.js`);
  await wasm.default({ module_or_path: `/www/pkg/backdrop_${build}_bg.wasm` });
  const compiledAt = performance.now();
  const models = [await fetchBytes(MODEL_FILES.general), await fetchBytes(MODEL_FILES.landscape)];
  const fetchedAt = performance.now();
  const processor = new wasm.Processor(...models);
  const load = {
    wasmFetchCompileMs: compiledAt - loadStart,
    modelFetchMs: fetchedAt - compiledAt,
    modelsLoadMs: performance.now() - fetchedAt,
  };
  processor.setOptions({ model, mode });
  let index = 0;
  const samples = await timeFrames(frames, counts, (frame) => {
    const i420 = planes[index++ % planes.length];
    const start = performance.now();
    if (input === 'i420') {
      processor.inputBuffer(i420.length).set(i420);
      processor.processI420Input(width, height);
    } else {
      processor.processRgba(frame.imageData.data, width, height, width * 4);
    }
    const out = new VideoFrame(processor.output(), { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: 0 });
    const totalMs = performance.now() - start;
    out.close();
    const timings = processor.timings();
    const inferenceMs = timings.inferenceMs;
    timings.free();
    return { totalMs, inferenceMs };
  });
  processor.processRgba(frames[0].imageData.data, width, height, width * 4);
  const check = maskCheck(processor.mask(), width, height, 255);
  const info = { input, mode, load, mask: check, buildInfo: typeof wasm.buildInfo === 'function' ? JSON.parse(JSON.stringify(wasm.buildInfo())) : null };
  processor.free();
  return { samples, info };
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`script ${src} did not load (npm ci in bench/)`));
    document.head.append(script);
  });
}

/** What WebGL is in this browser (MediaPipe's default path runs on it). */
function webglRenderer() {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    version: gl.getParameter(gl.VERSION),
    renderer: gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER),
  };
}

/**
 * MediaPipe's legacy solution (@mediapipe/selfie_segmentation, its SIMD wasm and its
 * WebGL graph): `totalMs` is send({image: canvas}) → onResults, which includes uploading
 * the frame, resizing it to the model, inference and the mask as a GPU image (not read back).
 */
async function mediapipe({ model, width, height, ...counts }) {
  const frames = await loadFrames(width, height);
  const renderer = webglRenderer();
  if (!renderer) throw new Error('no WebGL in this browser: MediaPipe\'s solution needs it');
  await loadScript(`${MEDIAPIPE}/selfie_segmentation.js`);
  const solution = new window.SelfieSegmentation({ locateFile: (file) => `${MEDIAPIPE}/${file}` });
  solution.setOptions({ modelSelection: model === 'general' ? 0 : 1, selfieMode: false });
  let resultAt = 0;
  let results = 0;
  solution.onResults(() => { resultAt = performance.now(); results++; });
  await solution.initialize();
  const samples = await timeFrames(frames, counts, async (frame) => {
    const before = results;
    const start = performance.now();
    await solution.send({ image: frame.canvas });
    if (results !== before + 1) throw new Error(`send() resolved with ${results - before} results, expected 1`);
    return { totalMs: resultAt - start };
  });
  await solution.close();
  return { samples, info: { webgl: renderer, wasm: 'selfie_segmentation_solution_simd_wasm_bin (chosen by the solution when SIMD is available)' } };
}

/**
 * MediaPipe Tasks (@mediapipe/tasks-vision ImageSegmenter) on the same .tflite files, with
 * `delegate: 'CPU'` (TFLite's XNNPACK on wasm SIMD): `totalMs` is segment(ImageData) → its
 * callback with the confidence mask, which includes converting and resizing the frame.
 */
async function mediapipeTasks({ model, width, height, delegate = 'CPU', ...counts }) {
  const frames = await loadFrames(width, height);
  const { FilesetResolver, ImageSegmenter } = await import(`${TASKS}/vision_bundle.mjs`);
  const fileset = await FilesetResolver.forVisionTasks(`${TASKS}/wasm`);
  // The solution's .tflite files with normalisation metadata added (bench/tflite_metadata.py).
  const tflite = model === 'general' ? 'selfie_segmentation.tflite' : 'selfie_segmentation_landscape.tflite';
  const segmenter = await ImageSegmenter.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: `/bench/build/${tflite}`, delegate },
    runningMode: 'IMAGE',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
  const samples = await timeFrames(frames, counts, (frame) => {
    let masks = 0;
    const start = performance.now();
    segmenter.segment(frame.imageData, (result) => { masks = result.confidenceMasks?.length ?? 0; });
    const totalMs = performance.now() - start;
    if (masks < 1) throw new Error('ImageSegmenter returned no confidence mask');
    return { totalMs };
  });
  let check = null;
  segmenter.segment(frames[0].imageData, (result) => {
    const mask = result.confidenceMasks[0];
    check = maskCheck(mask.getAsFloat32Array(), mask.width, mask.height);
  });
  segmenter.close();
  return { samples, info: { mask: check, delegate, fileset: fileset.wasmBinaryPath ?? null } };
}

/**
 * onnxruntime-web's wasm backend (SIMD, one thread) on our ONNX files, fed the frame's
 * model tensor (computed before timing): `totalMs` is session.run alone.
 */
async function onnxruntime({ model, width, height, ...counts }) {
  const frames = await loadFrames(width, height);
  const [mw, mh] = MODEL_SIZES[model];
  const ort = await import(`${ORT}/ort.wasm.min.mjs`);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = `${ORT}/`;
  const session = await ort.InferenceSession.create(await fetchBytes(MODEL_FILES[model]), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const inputName = session.inputNames[0];
  const tensors = frames.map((frame) => new ort.Tensor('float32', modelTensor(frame, mw, mh), [1, 3, mh, mw]));
  let index = 0;
  const samples = await timeFrames(frames, counts, async () => {
    const feeds = { [inputName]: tensors[index++ % tensors.length] };
    const start = performance.now();
    const outputs = await session.run(feeds);
    const totalMs = performance.now() - start;
    for (const out of Object.values(outputs)) out.dispose?.();
    return { totalMs, inferenceMs: totalMs };
  });
  const outputs = await session.run({ [inputName]: tensors[0] });
  const out = outputs[session.outputNames[0]];
  const check = maskCheck(out.data, out.dims[out.dims.length - 2] === 1 ? out.dims[1] : out.dims[out.dims.length - 1], out.dims[out.dims.length - 2] === 1 ? out.dims[2] : out.dims[out.dims.length - 2]);
  await session.release();
  return { samples, info: { mask: check, outputDims: out.dims, version: ort.env.versions?.web ?? null, numThreads: 1, backend: 'wasm (SIMD)' } };
}

/**
 * The multiply-add rate of a tight wasm SIMD loop (the module comes from bench/simd_limit.mjs):
 * `run(iterations)` does `macsPerIteration` f32 multiply-adds per iteration.
 */
async function simdLimit({ variants, iterations, repeats }) {
  const results = [];
  for (const { accumulators, bytes, macsPerIteration } of variants) {
    const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
    instance.exports.run(1000); // compile tiers up
    const rates = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const sink = instance.exports.run(iterations);
      const ms = performance.now() - start;
      if (!Number.isFinite(sink)) throw new Error(`SIMD loop result ${sink} is not finite`);
      rates.push((iterations * macsPerIteration) / (ms * 1e6)); // GMAC/s
      await yieldToLoop();
    }
    results.push({ accumulators, gmacPerSecond: rates });
  }
  return { results };
}

window.bench = { backdrop, mediapipe, mediapipeTasks, onnxruntime, simdLimit };
window.benchInfo = () => ({ userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated });
document.getElementById('status').textContent = 'ready';
