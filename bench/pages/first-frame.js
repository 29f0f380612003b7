// Time to the first processed frame from a cold start: a fresh browser context (empty
// cache) loads this page, which opens the fake camera, then times createBackdrop +
// process(camera) until the package reports its first processed frame (state 'running':
// a frame that went through the model, not the privacy frame).

import { createBackdrop } from '/www/dist/index.js';

const LIMIT_MS = 60_000;

async function measure() {
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  const start = performance.now();
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
  for (const track of camera.getTracks()) track.stop();
  return {
    sinceCreateMs: firstFrameAt - start,
    sinceNavigationMs: firstFrameAt,
    loadMs: stats.loadMs ?? null,
    build: stats.build ?? null,
    path: stats.path ?? null,
  };
}

window.firstFrame = measure().then(
  (result) => ({ ok: true, ...result }),
  (err) => ({ ok: false, error: String(err?.message ?? err) }),
);
