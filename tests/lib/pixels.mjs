// Reads pixels of a playing <video> in the page, for checks on processed frames.

/** The person clip's regions (tests/fixtures/make_y4m.py on the blue-wall photograph, 640×480). */
export const REGIONS = {
  /** Background in every frame of the clip: the blue wall, top corners. */
  backgroundTopLeft: { x: 0, y: 0, width: 100, height: 80 },
  backgroundTopRight: { x: 560, y: 0, width: 80, height: 80 },
  /** The person's face, in every frame. */
  person: { x: 300, y: 200, width: 80, height: 100 },
};

/**
 * In the page: the fraction of pixels of `region` (in the video's own pixels) within
 * `tolerance` of `rgb`, and the region's mean colour.
 * @param {import('playwright-core').Page} page
 */
export function sampleVideo(page, selector, region, rgb, tolerance = 40) {
  return page.evaluate(
    ([selector, region, rgb, tolerance]) => {
      const video = document.querySelector(selector);
      if (!video || video.videoWidth === 0) return null;
      const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(video, 0, 0);
      const { data } = ctx.getImageData(region.x, region.y, region.width, region.height);
      let close = 0;
      const sum = [0, 0, 0];
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        for (let c = 0; c < 3; c++) sum[c] += data[i + c];
        const d = Math.max(...[0, 1, 2].map((c) => Math.abs(data[i + c] - rgb[c])));
        if (d <= tolerance) close++;
      }
      return { fraction: close / n, mean: sum.map((s) => Math.round(s / n)), size: [video.videoWidth, video.videoHeight] };
    },
    [selector, region, rgb, tolerance],
  );
}

/** Polls `check` (async, returns a truthy value when satisfied) until it holds or `timeoutMs` passes. */
export async function eventually(check, { timeoutMs = 20_000, intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (let attempt = 0; Date.now() < deadline && attempt < 10_000; attempt++) {
    last = await check();
    if (last && last.ok !== false) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}
