// The output auditor, in the page: reads every frame of a track through a
// MediaStreamTrackProcessor (Chromium), or where there is none (Firefox) every frame a
// <video> of the track presents (requestVideoFrameCallback: frames the browser skipped
// in presenting are not seen), and classifies each one:
//
// - leak: the camera's background is visible: in a background region of the test clip
//   (the top corners, where the clip always shows its plain blue wall) at least
//   LEAK_FRACTION of the pixels are wall-blue. Meaningful in `remove` mode with a fill that
//   is not blue (the tests use magenta): there a processed frame's corners are the fill.
// - privacy: a solid frame (every sampled pixel within UNIFORM_TOLERANCE of the first):
//   the privacy frame, which has none of the camera's pixels.
// - processed: anything else (the person kept, the background filled).
//
// The thresholds are proven by tests/e2e/faults.test.mjs on the raw camera track (every
// picture a leak) and on processed output (none). tests/lib/audit.mjs drives this from Node.

/** The clip's background regions, in 640×480 coordinates (scaled to each frame's size). */
export const BACKGROUND_REGIONS = [
  { x: 0, y: 0, width: 100, height: 80 },
  { x: 560, y: 0, width: 80, height: 80 },
];

/** A pixel of the blue wall: blue well above red and green (the fills and privacy colours are not). */
export function isWallBlue(r, g, b) {
  return b >= r + 40 && b >= g + 20;
}

/** The share of wall-blue pixels in a region above which a frame is a leak. */
export const LEAK_FRACTION = 0.3;
/** Largest channel difference from the first pixel for a frame to count as solid. */
export const UNIFORM_TOLERANCE = 6;
/** Frames are analysed at this width (height by the frame's aspect ratio). */
const ANALYSIS_WIDTH = 160;
/** Mean channel difference from the previous frame above which a frame counts as changed (a new picture). */
const CHANGE_THRESHOLD = 0.5;

/** Mean absolute difference of two RGBA pictures of one size, over the colour channels. */
function meanDifference(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
  return sum / ((a.length / 4) * 3);
}

/**
 * Classifies one RGBA picture (`data`, `width` × `height`, a frame scaled down).
 * Returns `{kind, wall}`: `wall` is the larger of the regions' wall-blue fractions.
 */
export function classify(data, width, height) {
  let wall = 0;
  for (const r of BACKGROUND_REGIONS) {
    const x0 = Math.floor((r.x / 640) * width);
    const y0 = Math.floor((r.y / 480) * height);
    const x1 = Math.max(x0 + 1, Math.floor(((r.x + r.width) / 640) * width));
    const y1 = Math.max(y0 + 1, Math.floor(((r.y + r.height) / 480) * height));
    let blue = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * width + x) * 4;
        if (isWallBlue(data[i], data[i + 1], data[i + 2])) blue++;
      }
    }
    wall = Math.max(wall, blue / ((x1 - x0) * (y1 - y0)));
  }
  if (wall >= LEAK_FRACTION) return { kind: 'leak', wall };
  const [r0, g0, b0, a0] = [data[0], data[1], data[2], data[3]];
  for (let i = 4; i < data.length; i += 4) {
    const d = Math.max(Math.abs(data[i] - r0), Math.abs(data[i + 1] - g0), Math.abs(data[i + 2] - b0), Math.abs(data[i + 3] - a0));
    if (d > UNIFORM_TOLERANCE) return { kind: 'processed', wall };
  }
  return { kind: 'privacy', wall };
}

/**
 * Audits every frame of `track` until `stop()` or the track ends. `counts()` returns
 * `{processed, privacy, leak, frames, longestPrivacyRun, longestPrivacyRunMs, maxWallNotLeak,
 * minWallLeak, runs, sizes, firstLeak}`; `runs` lists consecutive frames of one kind as
 * `{kind, n, from, to}` (page milliseconds, `performance.now()`), at most MAX_RUNS of them;
 * `sizes` counts the kinds per frame size (`'640x480': {processed, privacy, leak}`);
 * `changed` counts frames whose picture differs from the frame before (a frozen picture
 * repeated does not).
 */
export function auditTrack(track) {
  const MAX_RUNS = 5000;
  const canvas = new OffscreenCanvas(ANALYSIS_WIDTH, 120);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const state = {
    processed: 0, privacy: 0, leak: 0, frames: 0,
    longestPrivacyRun: 0, longestPrivacyRunMs: 0,
    maxWallNotLeak: 0, minWallLeak: null,
    runs: [], sizes: {}, firstLeak: null, error: null, changed: 0,
  };
  let previous = null;
  const note = (kind, at) => {
    const last = state.runs.at(-1);
    if (last && last.kind === kind) {
      last.n++;
      last.to = at;
    } else if (state.runs.length < MAX_RUNS) {
      state.runs.push({ kind, n: 1, from: at, to: at });
    }
    const run = state.runs.at(-1);
    if (kind === 'privacy' && run.kind === 'privacy') {
      state.longestPrivacyRun = Math.max(state.longestPrivacyRun, run.n);
      state.longestPrivacyRunMs = Math.max(state.longestPrivacyRunMs, run.to - run.from);
    }
  };
  /** Classifies one picture (a VideoFrame or the video element) of `frameWidth` × `frameHeight`. */
  const analyse = (image, frameWidth, frameHeight) => {
    const at = performance.now();
    const width = ANALYSIS_WIDTH;
    const height = Math.max(2, Math.round((ANALYSIS_WIDTH * frameHeight) / frameWidth));
    if (canvas.height !== height) canvas.height = height;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(image, 0, 0, width, height);
    const size = `${frameWidth}x${frameHeight}`;
    const { data } = ctx.getImageData(0, 0, width, height);
    const { kind, wall } = classify(data, width, height);
    if (previous && previous.length === data.length && meanDifference(previous, data) > CHANGE_THRESHOLD) state.changed++;
    previous = data;
    state.sizes[size] ??= { processed: 0, privacy: 0, leak: 0 };
    state.sizes[size][kind]++;
    state[kind]++;
    state.frames++;
    if (kind === 'leak') {
      state.minWallLeak = Math.min(state.minWallLeak ?? 1, wall);
      state.firstLeak ??= { at, wall, size };
    } else {
      state.maxWallNotLeak = Math.max(state.maxWallNotLeak, wall);
    }
    note(kind, at);
  };
  const onError = (err) => { state.error = String(err); };
  const watcher = typeof MediaStreamTrackProcessor === 'function' ? readEveryFrame(track, analyse, onError) : watchPresentedFrames(track, analyse, onError);
  return {
    counts: () => structuredClone(state),
    async stop() {
      await watcher.stop();
      return structuredClone(state);
    },
  };
}

/** Every frame of `track`, through a MediaStreamTrackProcessor, to `analyse` (closed after). */
function readEveryFrame(track, analyse, onError) {
  const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 8 }).readable.getReader();
  let stopped = false;
  const done = (async () => {
    try {
      while (!stopped) {
        const { done, value: frame } = await reader.read();
        if (done || !frame) break;
        try {
          analyse(frame, frame.displayWidth, frame.displayHeight);
        } finally {
          frame.close();
        }
      }
    } catch (err) {
      onError(err);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await reader.cancel().catch(() => undefined);
      await done;
    },
  };
}

/** Every frame a <video> of `track` presents, to `analyse` (the video, drawn in its frame callback). */
function watchPresentedFrames(track, analyse, onError) {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.style.cssText = 'position: fixed; right: 0; bottom: 0; width: 160px; height: 120px;';
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  let stopped = false;
  const onFrame = () => {
    if (stopped) return;
    try {
      if (video.videoWidth > 0) analyse(video, video.videoWidth, video.videoHeight);
    } catch (err) {
      onError(err);
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  video.play().catch(onError);
  return {
    async stop() {
      stopped = true;
      video.pause();
      video.srcObject = null;
      video.remove();
    },
  };
}
