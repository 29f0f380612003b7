// Time to the first processed frame from a cold start: a fresh browser context (empty
// cache) loads this page, which opens the fake camera, then times createBackdrop +
// process(camera) until the package reports its first processed frame (state 'running':
// a frame that went through the model, not the privacy frame). bench/run.mjs records the
// requests of the page and its workers.
//
// `?runtime=mediapipe`: the same from MediaPipe Tasks' side, as a page using it would
// start: import tasks-vision, load its wasm fileset, create an ImageSegmenter (CPU
// delegate, the general model) and segment the first camera frame into a confidence mask.

const LIMIT_MS = 60_000;
const TASKS = '/bench/node_modules/@mediapipe/tasks-vision';

async function backdrop(camera) {
  const start = performance.now();
  const { createBackdrop } = await import('/www/dist/index.js');
  const created = performance.now();
  const backdrop = await createBackdrop();
  const running = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no processed frame within ${LIMIT_MS} ms`)), LIMIT_MS);
    backdrop.addEventListener('statechange', (e) => {
      if (e.detail.state === 'running') { clearTimeout(timer); resolve(performance.now()); }
    });
  });
  const video = document.getElementById('processed');
  video.srcObject = backdrop.process(camera);
  await video.play();
  const firstFrameAt = await running;
  const stats = backdrop.stats();
  backdrop.destroy?.();
  return { start, created, firstFrameAt, loadMs: stats.loadMs ?? null, parseMs: stats.modelLoadMs?.[stats.model] ?? null, build: stats.build ?? null, path: stats.path ?? null, model: stats.model ?? null };
}

async function mediapipe(camera) {
  const video = document.getElementById('processed');
  video.srcObject = camera;
  await video.play();
  const start = performance.now();
  const { FilesetResolver, ImageSegmenter } = await import(`${TASKS}/vision_bundle.mjs`);
  const fileset = await FilesetResolver.forVisionTasks(`${TASKS}/wasm`);
  const segmenter = await ImageSegmenter.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/bench/build/selfie_segmentation.tflite', delegate: 'CPU' },
    runningMode: 'VIDEO',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
  let masks = 0;
  segmenter.segmentForVideo(video, performance.now(), (result) => { masks = result.confidenceMasks?.length ?? 0; });
  const firstFrameAt = performance.now();
  if (masks < 1) throw new Error('ImageSegmenter returned no confidence mask');
  segmenter.close();
  return { start, created: start, firstFrameAt, loadMs: null, build: null, path: null, model: 'general' };
}

async function measure() {
  const runtime = new URLSearchParams(location.search).get('runtime') ?? 'backdrop';
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  const result = await (runtime === 'mediapipe' ? mediapipe : backdrop)(camera);
  for (const track of camera.getTracks()) track.stop();
  return {
    runtime,
    // From createBackdrop() (MediaPipe: from its import, as it has no separate step).
    sinceCreateMs: result.firstFrameAt - result.created,
    // From importing the runtime's JS: the figure to compare between runtimes.
    sinceImportMs: result.firstFrameAt - result.start,
    sinceNavigationMs: result.firstFrameAt,
    loadMs: result.loadMs,
    parseMs: result.parseMs ?? null,
    build: result.build,
    path: result.path,
    model: result.model,
  };
}

window.firstFrame = measure().then(
  (result) => ({ ok: true, ...result }),
  (err) => ({ ok: false, error: String(err?.message ?? err) }),
);
