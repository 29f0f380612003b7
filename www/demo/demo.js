// Backdrop's demo page. Plain ES module, no build step: it imports the npm package's
// compiled output from ../dist.

import { createBackdrop } from '../dist/index.js';

const $ = (id) => document.getElementById(id);

function showStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function showStats(backdrop) {
  const stats = backdrop.stats();
  $('wasm-build').textContent = stats.build === null ? '…' : stats.build === 'simd' ? 'SIMD' : 'fallback (no SIMD)';
  $('frame-path').textContent = stats.path ?? '…';
  $('fps').textContent = String(stats.fps);
  $('ms').textContent = stats.framesProcessed
    ? `${stats.stages.totalMs.toFixed(1)} (inference ${stats.stages.inferenceMs.toFixed(1)})`
    : '…';
  $('state').textContent = stats.state;
  document.body.dataset.wasmBuild = stats.build ?? '';
}

async function main() {
  const backdrop = await createBackdrop({ mode: 'blur' });
  backdrop.addEventListener('statechange', (event) => {
    if (event.detail.state === 'failclosed') showStatus(`Background hidden: ${event.detail.reason}`, true);
    if (event.detail.state === 'running') showStatus('Processing on this device.');
  });
  $('mode').addEventListener('change', (event) => backdrop.setOptions({ mode: event.target.value }));
  setInterval(() => showStats(backdrop), 500);

  let camera;
  try {
    camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  } catch (err) {
    showStatus(`No camera: ${err.message}`, true);
    document.body.dataset.ready = 'true';
    return;
  }
  $('camera').srcObject = camera;
  $('processed').srcObject = backdrop.process(camera);
  try {
    await backdrop.ready;
    showStats(backdrop);
    document.body.dataset.wasmSimd = String(backdrop.stats().build === 'simd');
    document.body.dataset.ready = 'true';
  } catch (err) {
    showStatus(`The model failed to load; the background stays hidden. ${err.message}`, true);
    document.body.dataset.ready = 'error';
  }
}

main().catch((err) => {
  showStatus(`Backdrop failed to start: ${err.message}`, true);
  document.body.dataset.ready = 'error';
});
