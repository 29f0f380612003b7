// Backdrop's demo page. Plain ES modules, no build step: it imports the npm package's
// compiled output from ../dist, and loads nothing from any other origin.
//
// What others would see is the "outgoing" track: the camera (or video file) unprocessed
// only when the user picks Off, Backdrop's processed track otherwise. The test call sends
// that track over a real RTCPeerConnection and swaps it with replaceTrack.
//
// Query parameter: `?path=canvas` (or `insertable-streams`) forces Backdrop's frame path,
// to see the canvas path on a browser that has insertable streams.

import * as backdropPackage from '../dist/index.js';
import { BUILT_IN_BACKGROUNDS, loadBuiltIn, loadImageFile } from './backgrounds.js';
import { LoopbackCall } from './call.js';
import { cameraErrorMessage, closeVideoFile, listCameras, openCamera, openVideoFile } from './sources.js';
import { showStats } from './stats-panel.js';

const { createBackdrop } = backdropPackage;
const $ = (id) => document.getElementById(id);
const FRAME_PATHS = ['insertable-streams', 'canvas'];

/** Backdrop's process() options from the page's query string. */
function processOptions() {
  const path = new URLSearchParams(location.search).get('path');
  if (path === null) return {};
  if (!FRAME_PATHS.includes(path)) throw new Error(`unknown ?path=${path} (expected ${FRAME_PATHS.join(' or ')})`);
  return { path };
}

const page = {
  backdrop: null,
  /** The input MediaStream, from a 'camera' or a 'file', and the processed one. */
  source: null,
  sourceKind: 'camera',
  /** What the status line calls the input: the camera's name or the file's. */
  sourceLabel: 'the camera',
  processed: null,
  call: new LoopbackCall(),
  /** The ImageBitmap replace mode uses, and where it came from ('office', ..., 'upload'). */
  background: null,
  backgroundId: null,
  uploaded: null,
};

function showStatus(text, kind = 'info') {
  const status = $('status');
  status.textContent = text;
  status.className = kind;
}

function mode() {
  return $('mode').value;
}

/** The track a call client would send now. */
function outgoingTrack() {
  const stream = mode() === 'off' ? page.source : page.processed;
  return stream?.getVideoTracks()[0] ?? null;
}

/** Shows `stream` in `video`, leaving it alone when it already plays that stream. */
function play(video, stream) {
  if (video.srcObject !== stream) video.srcObject = stream;
}

function showViews() {
  const off = mode() === 'off';
  play($('camera'), page.source);
  play($('processed'), off ? page.source : page.processed);
  $('processed-caption').textContent = off
    ? 'Off — what others see is your room, unprocessed'
    : 'What others see (processed on this device)';
  $('processed-frame').classList.toggle('checkerboard', mode() === 'remove' && $('transparent').checked);
  document.body.dataset.mode = mode();
}

async function sendOutgoing() {
  const track = outgoingTrack();
  if (page.call.active && track) await page.call.replaceTrack(track);
}

// ---- effect options ----------------------------------------------------------------

async function backgroundFor(id) {
  if (id === page.backgroundId && page.background) return page.background;
  const bitmap = id === 'upload' ? page.uploaded : await loadBuiltIn(id);
  if (!bitmap) throw new Error('choose an image file first');
  page.background = bitmap;
  page.backgroundId = id;
  return bitmap;
}

/** Reads every effect control and hands the result to Backdrop in one setOptions call. */
async function applyEffect() {
  const options = {
    blurStrength: Number($('blur-strength').value),
    edgeSoftness: Number($('edge-softness').value),
    model: $('model').value,
    people: $('only-me').checked ? 'main' : 'all',
    color: $('transparent').checked ? 'transparent' : $('remove-color').value,
  };
  if (mode() !== 'off') options.mode = mode();
  if (mode() === 'replace') options.backgroundImage = await backgroundFor($('background').value);
  if (!$('quality-control').hidden) {
    const quality = $('quality').value;
    options.quality = quality === 'auto' ? 'auto' : Number(quality);
  }
  await page.backdrop.setOptions(options);
  showViews();
  await sendOutgoing();
  document.body.dataset.applied = JSON.stringify({ mode: mode(), color: options.color, background: page.backgroundId });
}

// Changes apply one after the other, in the order the user made them.
let effectQueue = Promise.resolve();
function queueEffect() {
  document.body.dataset.applied = '';
  effectQueue = effectQueue.then(applyEffect).catch((err) => showStatus(`That setting could not be applied: ${err.message}`, 'error'));
  return effectQueue;
}

function fillBackgrounds() {
  for (const { id, name } of BUILT_IN_BACKGROUNDS) $('background').append(new Option(name, id));
  $('background').append(new Option('Your image', 'upload'));
}

/** Shows a Quality select only when the package exports its tiers (adaptive quality). */
function fillQualityTiers() {
  const tiers = backdropPackage.QUALITY_TIERS;
  if (!Array.isArray(tiers) || tiers.length === 0) return;
  tiers.forEach((tier, index) => {
    const option = new Option(tier.name, String(index));
    option.title = tier.description;
    $('quality').append(option);
  });
  $('quality-control').hidden = false;
}

// ---- sources -----------------------------------------------------------------------

function stopSource() {
  for (const track of page.source?.getTracks() ?? []) track.stop();
  for (const track of page.processed?.getVideoTracks() ?? []) track.stop();
  if (page.sourceKind === 'file') closeVideoFile($('file-player'));
  page.source = null;
  page.processed = null;
}

/** The status line while frames are processed: it always names the input. */
function showProcessing() {
  showStatus(`Processing ${page.sourceLabel} on this device.`, 'ok');
}

async function useSource(stream, kind, label) {
  stopSource();
  page.source = stream;
  page.sourceKind = kind;
  page.sourceLabel = label;
  page.processed = page.backdrop.process(stream, processOptions());
  showViews();
  await sendOutgoing();
  document.body.dataset.source = kind;
}

async function startCamera() {
  let stream;
  try {
    stream = await openCamera($('camera-device').value, $('resolution').value);
  } catch (err) {
    stopSource();
    showViews();
    document.body.dataset.camera = err?.name ?? 'error';
    showStatus(cameraErrorMessage(err), 'error');
    return;
  }
  document.body.dataset.camera = 'ok';
  const name = stream.getVideoTracks()[0]?.label;
  await useSource(stream, 'camera', name ? `the camera (${name})` : 'the camera');
  const cameras = await listCameras().catch(() => []);
  const chosen = stream.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  const select = $('camera-device');
  select.replaceChildren(...cameras.map((camera, i) => new Option(camera.label || `Camera ${i + 1}`, camera.deviceId)));
  if (chosen) select.value = chosen;
}

async function startFile(file) {
  if (!file) return;
  $('source').value = 'file';
  document.body.dataset.sourceKind = 'file';
  try {
    await useSource(await openVideoFile(file, $('file-player')), 'file', `${file.name} (playing in a loop)`);
    showProcessing();
  } catch (err) {
    showStatus(`That video cannot be used: ${err.message}`, 'error');
  }
}

function onSourceChange() {
  const kind = $('source').value;
  document.body.dataset.sourceKind = kind;
  if (kind === 'camera') return startCamera();
  stopSource();
  showViews();
  showStatus('Choose a video file, or drop one on the page.');
  return undefined;
}

function wireDropZone() {
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const file = [...(event.dataTransfer?.files ?? [])].find((f) => f.type.startsWith('video/'));
    if (file) void startFile(file);
    else showStatus('Drop a video file (WebM, MP4, …).', 'error');
  });
}

/** The input's kind and real size (a camera may not give the resolution asked for). */
function showInput() {
  const video = $('camera');
  const kind = page.sourceKind === 'file' ? 'video file' : 'camera';
  $('input-size').textContent = page.source && video.videoWidth ? `${kind}, ${video.videoWidth} × ${video.videoHeight}` : 'none';
}

// ---- test call ---------------------------------------------------------------------

async function toggleCall() {
  const button = $('call');
  if (page.call.active) {
    page.call.stop();
    $('remote').srcObject = null;
    button.textContent = 'Start test call';
    document.body.dataset.call = 'off';
    return;
  }
  const track = outgoingTrack();
  if (!track) {
    showStatus('Start a camera or a video file before the test call.', 'error');
    return;
  }
  button.disabled = true;
  try {
    play($('remote'), await page.call.start(track));
    button.textContent = 'End test call';
    document.body.dataset.call = 'on';
  } catch (err) {
    page.call.stop();
    showStatus(`The test call could not start: ${err.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- start-up ----------------------------------------------------------------------

function wireControls() {
  for (const id of ['mode', 'blur-strength', 'edge-softness', 'remove-color', 'transparent', 'only-me', 'background', 'model', 'quality']) {
    $(id).addEventListener(id.includes('strength') || id.includes('softness') ? 'input' : 'change', queueEffect);
  }
  $('background-file').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      page.uploaded = await loadImageFile(file);
      page.backgroundId = null; // reload from the new upload
      $('background').value = 'upload';
      $('mode').value = 'replace';
      await queueEffect();
    } catch (err) {
      showStatus(err.message, 'error');
    }
  });
  $('source').addEventListener('change', onSourceChange);
  $('camera-device').addEventListener('change', startCamera);
  $('resolution').addEventListener('change', startCamera);
  $('video-file').addEventListener('change', (event) => startFile(event.target.files?.[0]));
  $('call').addEventListener('click', toggleCall);
  wireDropZone();
}

function watchBackdrop(backdrop) {
  backdrop.addEventListener('progress', (event) => {
    const { loaded, total } = event.detail;
    $('progress').value = total ? loaded / total : 0;
    $('progress-text').textContent = `${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
  });
  backdrop.addEventListener('statechange', (event) => {
    const { state, reason } = event.detail;
    document.body.dataset.state = state;
    if (state === 'failclosed' && document.body.dataset.ready !== 'error') {
      showStatus(`Background hidden (fail-closed): ${reason}. Others see a plain frame until frames are processed again.`, 'warning');
    }
    if (state === 'running' && page.source) showProcessing();
  });
  setInterval(() => {
    showStats(backdrop.stats());
    showInput();
  }, 500);
}

async function main() {
  fillBackgrounds();
  fillQualityTiers();
  wireControls();
  document.body.dataset.mode = mode();
  document.body.dataset.sourceKind = 'camera';
  page.backdrop = await createBackdrop({ mode: 'blur' });
  watchBackdrop(page.backdrop);
  await startCamera();
  try {
    await page.backdrop.ready;
  } catch (err) {
    $('loading').hidden = true;
    showStatus(
      `The model failed to load (${err.message}). Backdrop is fail-closed: others see a plain frame, never your room.`,
      'error',
    );
    document.body.dataset.ready = 'error';
    return;
  }
  $('loading').hidden = true;
  const stats = page.backdrop.stats();
  showStats(stats);
  $('build-notice').hidden = stats.build !== 'nosimd';
  document.body.dataset.wasmSimd = String(stats.build === 'simd');
  document.body.dataset.ready = 'true';
  await queueEffect();
}

main().catch((err) => {
  showStatus(`Backdrop failed to start: ${err.message}`, 'error');
  document.body.dataset.ready = 'error';
});
