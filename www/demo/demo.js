// Backdrop's demo page. Plain ES module, no build step: it imports the npm package's
// compiled output from ../dist.

import { loadWasm } from '../dist/index.js';

const $ = (id) => document.getElementById(id);

function showStatus(text, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function main() {
  const { build, module } = await loadWasm();
  const info = module.buildInfo();
  $('wasm-build').textContent = info.simd ? 'SIMD' : 'fallback (no SIMD)';
  $('wasm-version').textContent = info.version;
  document.body.dataset.wasmBuild = build;
  document.body.dataset.wasmSimd = String(info.simd);
  info.free();

  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    $('camera').srcObject = stream;
    showStatus('Camera on.');
  } catch (err) {
    showStatus(`No camera: ${err.message}`, true);
  }
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  showStatus(`Backdrop failed to start: ${err.message}`, true);
  document.body.dataset.ready = 'error';
});
