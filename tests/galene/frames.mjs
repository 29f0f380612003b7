// What a Galene receiver sees, frame by frame: an init script for the receiver's page that
// samples every frame each remote <video> presents (requestVideoFrameCallback), and the
// tests that tell from a sample what the sender sent.

/**
 * Regions of the 640×480 fake-camera clip (tests/lib/fixtures.mjs: a person before a blue
 * wall), [x0, y0, x1, y1], scaled to the received size. `background` is wall in every
 * frame of the clip; `centre` is the face; `edge` holds the sharp border between the wall
 * and a black object at the left edge of the picture, which a blur smooths away.
 */
export const REGIONS = {
  background: [[0, 0, 100, 80], [560, 0, 640, 80], [0, 100, 120, 260], [540, 100, 640, 300]],
  centre: [300, 200, 440, 380],
  edge: [0, 300, 60, 400],
};

/** Backdrop's default colour behind the person in remove mode (www/README.md). */
export const REMOVE_COLOR = [0x00, 0xb1, 0x40];
/** Backdrop's privacy frame in the other modes (www/README.md). */
export const PRIVACY_GREY = [0x20, 0x21, 0x24];
/**
 * The edge region's sharpness (mean over its rows of the largest step in luma across 3
 * pixels) above which the wall's border is the camera's own, not blurred: about 53 in the
 * camera's picture after video coding, 13 with Galene's blur.
 */
export const SHARP_EDGE = 30;

/** The receiver's side: installed with page.addInitScript(AUDIT_SCRIPT). */
function installAudit(regions) {
  // Pixels over which the luma step at the wall's border is measured: wider than what
  // video coding smears a sharp border over, narrower than a blur spreads it.
  const SPAN = 3;
  const frames = [];
  const serials = new WeakMap();
  let nextSerial = 1;
  let switched = 0;
  let canvas = null;
  let ctx = null;

  const mean = (data) => {
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) {
      sum[0] += data[i];
      sum[1] += data[i + 1];
      sum[2] += data[i + 2];
    }
    const n = data.length / 4;
    return sum.map((s) => Math.round(s / n));
  };
  const box = ([x0, y0, x1, y1], w, h) => [
    Math.floor((x0 * w) / 640), Math.floor((y0 * h) / 480),
    Math.max(1, Math.floor(((x1 - x0) * w) / 640)), Math.max(1, Math.floor(((y1 - y0) * h) / 480)),
  ];
  const sharpness = ({ data, width, height }) => {
    let total = 0;
    for (let y = 0; y < height; y++) {
      let best = 0;
      for (let x = SPAN; x < width; x++) {
        const i = (y * width + x) * 4;
        const luma = (j) => 0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2];
        best = Math.max(best, Math.abs(luma(i) - luma(i - 4 * SPAN)));
      }
      total += best;
    }
    return Math.round(total / height);
  };

  const sample = (video, now, metadata, requestedFor) => {
    const stream = video.srcObject;
    if (!stream) return;
    // Galene gives a replacing stream the same <video> (it keeps the local id), so a
    // callback asked for while the old stream played can come with the old stream's last
    // frame after srcObject changed: such a frame belongs to neither for sure, and is
    // counted apart instead of being charged to the new stream.
    if (requestedFor !== stream) {
      switched++;
      return;
    }
    if (!serials.has(stream)) serials.set(stream, nextSerial++);
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w === 0 || h === 0) return;
    if (!canvas) {
      canvas = new OffscreenCanvas(w, h);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    }
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.drawImage(video, 0, 0, w, h);
    const read = (region) => ctx.getImageData(...box(region, w, h));
    frames.push({
      stream: serials.get(stream),
      t: Math.round(performance.timeOrigin + now),
      w,
      h,
      presented: metadata.presentedFrames,
      background: regions.background.map((r) => mean(read(r).data)),
      centre: mean(read(regions.centre).data),
      sharp: sharpness(read(regions.edge)),
    });
  };

  const watch = (video) => {
    if (video.dataset.audited) return;
    video.dataset.audited = 'true';
    let requestedFor = video.srcObject;
    const onFrame = (now, metadata) => {
      if (!video.isConnected) return;
      try {
        sample(video, now, metadata, requestedFor);
      } catch (e) {
        console.warn('audit:', e);
      }
      requestedFor = video.srcObject;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => {
    document.querySelectorAll('#peers video').forEach(watch);
  }).observe(document, { childList: true, subtree: true });

  window.backdropAudit = {
    read: (from) => ({ frames: frames.slice(from), switched }),
    latest: () => (frames.length ? frames[frames.length - 1].stream : 0),
  };
}

export const AUDIT_SCRIPT = `(${installAudit})(${JSON.stringify(REGIONS)});`;

function distance(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Within what lossy video coding does to a flat colour. */
export function near(rgb, target, tolerance = 60) {
  return distance(rgb, target) <= tolerance;
}

/** The fixture's wall: strongly blue (about 51, 125, 247 in the clip). */
export function isBlueWall(rgb) {
  return rgb[2] >= 170 && rgb[2] - rgb[0] >= 100 && rgb[2] - rgb[1] >= 50;
}

/** Some background region of the frame shows the wall (the camera's, sharp or blurred). */
export function showsWall(frame) {
  return frame.background.some(isBlueWall);
}

/**
 * What a frame is:
 * - 'privacy': one solid colour everywhere, the face included (`color` says which);
 * - 'removed': the remove colour behind a person;
 * - 'raw': the camera's background as it is (the wall, its border sharp);
 * - 'blurred': the wall, its border smoothed away, a person in front;
 * - 'replaced': something else behind a person (our background image);
 * - 'other'.
 */
export function classify(frame) {
  const all = [...frame.background, frame.centre];
  if (all.every((c) => near(c, REMOVE_COLOR))) return 'privacy';
  if (all.every((c) => near(c, PRIVACY_GREY, 30))) return 'privacy';
  const person = !near(frame.centre, REMOVE_COLOR, 100) && !isBlueWall(frame.centre);
  if (frame.background.every((c) => near(c, REMOVE_COLOR))) return person ? 'removed' : 'other';
  if (frame.background.every(isBlueWall)) return frame.sharp > SHARP_EDGE ? 'raw' : person ? 'blurred' : 'other';
  if (person && !showsWall(frame)) return 'replaced';
  return 'other';
}

/** Counts of each classify() kind among `frames`. */
export function tally(frames) {
  const counts = {};
  for (const f of frames) {
    const kind = classify(f);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
