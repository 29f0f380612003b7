// The live numbers under the views, from Backdrop's stats().

const $ = (id) => document.getElementById(id);
const ms = (value, processed) => (processed ? value.toFixed(1) : '…');

export function buildLabel(build) {
  if (build === null) return '…';
  return build === 'simd' ? 'SIMD' : 'fallback (no SIMD)';
}

export function pathLabel(path) {
  if (path === null) return '…';
  return path === 'insertable-streams' ? 'insertable streams (VideoFrame)' : 'canvas';
}

/** Writes `stats` into the panel. */
export function showStats(stats) {
  const processed = stats.framesProcessed > 0;
  $('state').textContent = stats.state;
  $('wasm-build').textContent = buildLabel(stats.build);
  $('frame-path').textContent = pathLabel(stats.path);
  $('fps').textContent = String(stats.fps);
  $('ms-preprocess').textContent = ms(stats.stages.preprocessMs, processed);
  $('ms-inference').textContent = ms(stats.stages.inferenceMs, processed);
  $('ms-refine').textContent = ms(stats.stages.refineMs, processed);
  $('ms-composite').textContent = ms(stats.stages.compositeMs, processed);
  $('ms-total').textContent = ms(stats.stages.totalMs, processed);
  $('frames-processed').textContent = String(stats.framesProcessed);
  $('dropped').textContent = String(stats.droppedFrames);
  $('privacy-frames').textContent = String(stats.privacyFrames);
  $('load-time').textContent = stats.loadMs === null ? '…' : `${Math.round(stats.loadMs)} ms`;
  if (stats.quality) {
    $('quality-stat-label').hidden = false;
    $('quality-stat').hidden = false;
    $('quality-stat').textContent = `${stats.quality.name}${stats.quality.auto ? ' (auto)' : ''}`;
  }
  document.body.dataset.wasmBuild = stats.build ?? '';
}
