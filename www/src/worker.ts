/**
 * The worker: loads the wasm build and the models, then turns frames into processed
 * frames, one request at a time. It never sends a camera frame back unprocessed: a
 * frame it cannot process is answered with `frame-error`, and the page shows its
 * privacy frame instead.
 */

import { loadWasm, type WasmModule } from './wasm.js';
import type { FromWorker, Pixels, ToWorker, WorkerOptions } from './protocol.js';
import type { WasmBuild } from './features.js';
import { tierSettings } from './quality.js';

type Processor = InstanceType<WasmModule['Processor']>;

/** The part of the worker's global scope this file uses (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
let processor: Processor | null = null;
let pendingOptions: WorkerOptions | null = null;
/** The options in effect (the tier a frame ran at is reported with it). */
let current: WorkerOptions | null = null;
let pendingBackground: Pixels | null | undefined;
let canvas: OffscreenCanvas | null = null;
// Requests run strictly one after another: a frame's pixels sit in wasm memory across
// an await (VideoFrame.copyTo), and nothing else may touch the processor meanwhile.
let queue: Promise<void> = Promise.resolve();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function fetchWithProgress(urls: string[]): Promise<Uint8Array[]> {
  const responses = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`loading ${url}: HTTP ${response.status}`);
      return response;
    }),
  );
  const sizes = responses.map((r) => Number(r.headers.get('Content-Length')) || 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  let loaded = 0;
  return Promise.all(
    responses.map(async (response, i) => {
      if (!response.body) return new Uint8Array(await response.arrayBuffer());
      const chunks: Uint8Array[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        post({ type: 'progress', loaded, total: Math.max(total, loaded) });
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      if (sizes[i] && bytes.byteLength !== sizes[i]) throw new Error(`loading ${urls[i]}: truncated`);
      return bytes;
    }),
  );
}

function applyOptions(p: Processor, options: WorkerOptions): void {
  const tier = tierSettings(options.tier, options);
  p.setMode(options.mode);
  p.setModel(tier.model);
  p.setRefinement(tier.refinement);
  p.setInferenceInterval(tier.inferenceInterval);
  p.setBlurStrength(options.blurStrength);
  p.setEdgeSoftness(options.edgeSoftness);
  p.setFill(options.color);
  p.setTemporalSmoothing(options.temporalSmoothing);
  current = options;
}

/** The `debugSlowdown` test hook: spins until the frame has cost `factor` times `since`'s elapsed time. */
function simulateSlowCpu(since: number, factor: number): void {
  if (factor <= 1) return;
  const until = since + (performance.now() - since) * factor;
  // Bounded by the factor (at most 20) times the frame's own cost.
  while (performance.now() < until) {
    /* busy, like a slower CPU */
  }
}

function applyBackground(p: Processor, image: Pixels | null): void {
  if (image) p.setBackgroundImage(new Uint8Array(image.data), image.width, image.height);
  else p.clearBackgroundImage();
}

async function init(build: WasmBuild, models: { general: string; landscape: string }, options: WorkerOptions) {
  const start = performance.now();
  try {
    const [{ module }, [general, landscape]] = await Promise.all([
      loadWasm(build),
      fetchWithProgress([models.general, models.landscape]),
    ]);
    const p = new module.Processor(general, landscape);
    applyOptions(p, pendingOptions ?? options);
    if (pendingBackground !== undefined) applyBackground(p, pendingBackground);
    processor = p;
    post({ type: 'ready', build, loadMs: performance.now() - start });
  } catch (err) {
    post({ type: 'failed', message: `Backdrop could not start: ${errorMessage(err)}` });
  }
}

function scratchContext(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (!canvas) canvas = new OffscreenCanvas(width, height);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context in the worker');
  return ctx;
}

/** Copies a frame's pixels into wasm memory and processes them. Returns the size. */
async function processPixels(p: Processor, frame: VideoFrame | ImageBitmap): Promise<[number, number]> {
  if (typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame) {
    const { width, height } = frame.visibleRect ?? { width: frame.displayWidth, height: frame.displayHeight };
    if (frame.format === 'I420' && width % 2 === 0 && height % 2 === 0) {
      // Camera frames in Chrome: copy the planes as they are; the core converts.
      const ySize = width * height;
      const cSize = (width / 2) * (height / 2);
      const view = p.inputBuffer(ySize + 2 * cSize);
      await frame.copyTo(view, {
        layout: [
          { offset: 0, stride: width },
          { offset: ySize, stride: width / 2 },
          { offset: ySize + cSize, stride: width / 2 },
        ],
      });
      p.processI420Input(width, height);
      return [width, height];
    }
  }
  // Any other format: let the browser convert to RGBA.
  const width = 'displayWidth' in frame ? frame.displayWidth : frame.width;
  const height = 'displayHeight' in frame ? frame.displayHeight : frame.height;
  const ctx = scratchContext(width, height);
  ctx.drawImage(frame, 0, 0, width, height);
  const image = ctx.getImageData(0, 0, width, height);
  p.processRgba(new Uint8Array(image.data.buffer), width, height, width * 4);
  return [width, height];
}

async function processFrame(id: number, frame: VideoFrame | ImageBitmap): Promise<void> {
  const p = processor;
  const start = performance.now();
  try {
    if (!p || !current) throw new Error('the model is not loaded yet');
    const { tier, debugSlowdown } = current;
    const [width, height] = await processPixels(p, frame);
    const output = p.output();
    const timings = p.timings();
    const stages = {
      preprocessMs: timings.preprocessMs,
      inferenceMs: timings.inferenceMs,
      refineMs: timings.refineMs,
      compositeMs: timings.compositeMs,
      totalMs: timings.totalMs,
    };
    timings.free();
    let result: VideoFrame | ImageBitmap;
    if (typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame) {
      result = new VideoFrame(output, {
        format: 'RGBA',
        codedWidth: width,
        codedHeight: height,
        timestamp: frame.timestamp,
        ...(frame.duration !== null ? { duration: frame.duration } : {}),
      });
    } else {
      const ctx = scratchContext(width, height);
      ctx.putImageData(new ImageData(new Uint8ClampedArray(output), width, height), 0, 0);
      result = await createImageBitmap(ctx.canvas);
    }
    simulateSlowCpu(start, debugSlowdown);
    post({ type: 'frame', id, frame: result, timings: stages, tier, workerMs: performance.now() - start }, [result]);
  } catch (err) {
    post({ type: 'frame-error', id, message: errorMessage(err) });
  } finally {
    frame.close();
  }
}

function handle(message: ToWorker): Promise<void> | void {
  switch (message.type) {
    case 'init':
      return init(message.build, message.models, message.options);
    case 'options':
      pendingOptions = message.options;
      if (processor) {
        try {
          applyOptions(processor, message.options);
        } catch (err) {
          post({ type: 'failed', message: `Backdrop rejected the options: ${errorMessage(err)}` });
        }
      }
      return;
    case 'background':
      pendingBackground = message.image;
      if (processor) applyBackground(processor, message.image);
      return;
    case 'frame':
      return processFrame(message.id, message.frame);
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  queue = queue.then(() => handle(message)).catch((err) => {
    post({ type: 'failed', message: `Backdrop worker error: ${errorMessage(err)}` });
  });
};
