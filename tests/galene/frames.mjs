// Reading what a Galene client receives: the mean colour of regions of a remote <video>,
// and the colour tests the Galene end-to-end test applies to them.

/**
 * Regions of the 640×480 fake-camera clip (tests/lib/fixtures.mjs): the two top corners
 * are the blue wall in every frame; the centre is the person's face.
 */
export const REGIONS = {
  topLeft: [0, 0, 100, 80],
  topRight: [560, 0, 640, 80],
  centre: [300, 200, 440, 380],
};
const CLIP_SIZE = [640, 480];

/** The colour backdrop-filters.js puts behind the person in remove mode (#00b140). */
export const REMOVE_COLOR = [0x00, 0xb1, 0x40];

/**
 * In the page: the mean RGB of each region of the first remote video that plays, scaled
 * from the clip's size to the received size; null while no video plays.
 */
export function sampleRemoteVideo(page) {
  return page.evaluate(({ regions, clipSize }) => {
    const videos = [...document.querySelectorAll('#peers video')]
      .filter((v) => v.readyState >= 2 && v.videoWidth > 0 && !v.paused);
    if (videos.length === 0) return null;
    const video = videos[0];
    const width = video.videoWidth;
    const height = video.videoHeight;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, width, height);
    const means = {};
    for (const [name, [x0, y0, x1, y1]] of Object.entries(regions)) {
      const left = Math.floor((x0 * width) / clipSize[0]);
      const top = Math.floor((y0 * height) / clipSize[1]);
      const w = Math.max(1, Math.floor(((x1 - x0) * width) / clipSize[0]));
      const h = Math.max(1, Math.floor(((y1 - y0) * height) / clipSize[1]));
      const data = ctx.getImageData(left, top, w, h).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) {
        sum[0] += data[i];
        sum[1] += data[i + 1];
        sum[2] += data[i + 2];
      }
      const n = data.length / 4;
      means[name] = sum.map((s) => Math.round(s / n));
    }
    return { width, height, id: video.id, means };
  }, { regions: REGIONS, clipSize: CLIP_SIZE });
}

function distance(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Within what lossy video coding does to a flat colour. */
export function isRemoveColor(rgb) {
  return distance(rgb, REMOVE_COLOR) <= 60;
}

/** The fixture's wall: strongly blue (about 51, 125, 247 in the clip). */
export function isBlueWall(rgb) {
  return rgb[2] >= 170 && rgb[2] - rgb[0] >= 100 && rgb[2] - rgb[1] >= 50;
}

/** Something other than the remove colour: the person is there. */
export function isPerson(rgb) {
  return distance(rgb, REMOVE_COLOR) >= 100;
}

/** Removed background with the person in front of it. */
export function showsRemovedBackground(sample) {
  return Boolean(sample) && isRemoveColor(sample.means.topLeft) && isRemoveColor(sample.means.topRight) &&
    isPerson(sample.means.centre);
}

/** The camera's own background. */
export function showsCameraBackground(sample) {
  return Boolean(sample) && isBlueWall(sample.means.topLeft) && isBlueWall(sample.means.topRight);
}

/**
 * Samples `page` until `predicate(sample)` holds, at most `attempts` times `intervalMs`
 * apart and within `timeoutMs`. Returns `{sample, history}`; `sample` is null on timeout.
 */
export async function waitForSample(page, predicate, { timeoutMs, intervalMs = 250, attempts = 2000 }) {
  const deadline = Date.now() + timeoutMs;
  const history = [];
  for (let i = 0; i < attempts && Date.now() < deadline; i++) {
    const sample = await sampleRemoteVideo(page);
    history.push(sample);
    if (history.length > 20) history.shift();
    if (predicate(sample)) return { sample, history };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { sample: null, history };
}
