// Helpers for the demo page's tests (tests/e2e/demo-*.test.mjs): open the page, apply a
// setting and wait until the page has handed it to Backdrop, read the stats panel, sample
// what a view shows, and save screenshots when BACKDROP_SCREENSHOTS names a folder.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { recordProblems } from './browser.mjs';
import { REPO_ROOT } from './server.mjs';

/**
 * Opens the demo in a new page and waits until it settled (model loaded or failed).
 * `initScript` runs before the page's own scripts (to simulate a missing camera, ...).
 * @param {import('playwright-core').Browser} browser
 */
export async function openDemo(browser, url, { initScript, query = '', waitFor = 'settled' } = {}) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = recordProblems(page);
  const origins = new Set();
  page.on('request', (req) => origins.add(new URL(req.url()).origin));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(new URL(`demo/${query}`, url).href);
  if (waitFor === 'settled') {
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 60_000 });
  }
  return { page, problems, origins };
}

/** Waits until the page applied its controls (`data-applied` names `mode`). */
export async function waitApplied(page, mode) {
  await page.waitForFunction(
    (mode) => document.body.dataset.applied && JSON.parse(document.body.dataset.applied).mode === mode,
    mode,
    { timeout: 15_000 },
  );
}

/** Selects `mode` in the Mode control and waits until Backdrop has it. */
export async function chooseMode(page, mode) {
  await page.selectOption('#mode', mode);
  await waitApplied(page, mode);
}

/** The stats panel as numbers where they are numbers, text otherwise. */
export function readStatsPanel(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent;
    const number = (id) => Number.parseFloat(text(id));
    return {
      state: text('state'),
      build: text('wasm-build'),
      path: text('frame-path'),
      fps: number('fps'),
      preprocessMs: number('ms-preprocess'),
      inferenceMs: number('ms-inference'),
      refineMs: number('ms-refine'),
      compositeMs: number('ms-composite'),
      totalMs: number('ms-total'),
      framesProcessed: number('frames-processed'),
      dropped: number('dropped'),
      privacyFrames: number('privacy-frames'),
      loadTime: text('load-time'),
    };
  });
}

/** Mean RGBA of `region` of a playing <video> (in its own pixels), or null before its first frame. */
export function meanRgba(page, selector, region) {
  return page.evaluate(
    ([selector, region]) => {
      const video = document.querySelector(selector);
      if (!video || video.videoWidth === 0) return null;
      const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(video, 0, 0);
      const { data } = ctx.getImageData(region.x, region.y, region.width, region.height);
      const sum = [0, 0, 0, 0];
      for (let i = 0; i < data.length; i++) sum[i % 4] += data[i];
      return sum.map((s) => Math.round(s / (data.length / 4)));
    },
    [selector, region],
  );
}

/**
 * In the page: the mean colour of `region` of a same-origin image cover-fitted to
 * width × height, the way Backdrop fits a replacement background.
 */
export function expectedCoverMean(page, imagePath, [width, height], region) {
  return page.evaluate(
    async ([imagePath, width, height, region]) => {
      const image = await createImageBitmap(await (await fetch(imagePath)).blob());
      const scale = Math.max(width / image.width, height / image.height);
      const [w, h] = [image.width * scale, image.height * scale];
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, (width - w) / 2, (height - h) / 2, w, h);
      const { data } = ctx.getImageData(region.x, region.y, region.width, region.height);
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      return sum.map((s) => Math.round(s / (data.length / 4)));
    },
    [imagePath, width, height, region],
  );
}

/** Largest per-channel difference between two RGB(A) colours (first three channels). */
export function colourDistance(a, b) {
  return Math.max(...[0, 1, 2].map((c) => Math.abs(a[c] - b[c])));
}

/** Hex '#rrggbb' → [r, g, b]. */
export function hexRgb(hex) {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

/**
 * With BACKDROP_SCREENSHOTS=DIR (relative to the repository), saves the views area as
 * DIR/NAME.jpg (small enough for the README). Without it, does nothing: normal test runs
 * never write into the repository.
 */
export async function saveScreenshot(page, name, selector = '#views') {
  const dir = process.env.BACKDROP_SCREENSHOTS;
  if (!dir) return null;
  const folder = resolve(REPO_ROOT, dir);
  mkdirSync(folder, { recursive: true });
  const path = resolve(folder, `${name}.jpg`);
  await page.locator(selector).screenshot({ path, type: 'jpeg', quality: 70, animations: 'disabled' });
  return path;
}

/**
 * Mean absolute difference between horizontally neighbouring pixels (luma) in `region`
 * of a playing <video>: high where edges are sharp, low where the region is blurred.
 */
export function edgeEnergy(page, selector, region) {
  return page.evaluate(
    ([selector, region]) => {
      const video = document.querySelector(selector);
      if (!video || video.videoWidth === 0) return null;
      const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(video, 0, 0);
      const { data, width, height } = ctx.getImageData(region.x, region.y, region.width, region.height);
      const luma = (i) => 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      let sum = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 1; x < width; x++) sum += Math.abs(luma((y * width + x) * 4) - luma((y * width + x - 1) * 4));
      }
      return sum / (height * (width - 1));
    },
    [selector, region],
  );
}

/**
 * For a <video> whose removal colour is magenta: how many pixels are fully magenta and
 * how many part-way (the soft edge around the person). "Magenta-ness" is min(R, B) − G:
 * 255 for magenta, near 0 for the person (skin, hair and clothes have G ≥ min(R, B) - 60).
 */
export function magentaBlend(page, selector) {
  return page.evaluate((selector) => {
    const video = document.querySelector(selector);
    if (!video || video.videoWidth === 0) return null;
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(video, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let pure = 0;
    let blended = 0;
    for (let i = 0; i < data.length; i += 4) {
      const magenta = Math.min(data[i], data[i + 2]) - data[i + 1];
      if (magenta > 230) pure++;
      else if (magenta > 60) blended++;
    }
    return { pure, blended };
  }, selector);
}

/** How many new frames a <video> presents in `ms` milliseconds (0 for a frozen or stopped stream). */
export function presentedFrames(page, selector, ms = 1500) {
  return page.evaluate(
    ([selector, ms]) =>
      new Promise((resolve) => {
        const video = document.querySelector(selector);
        let count = 0;
        let done = false;
        const onFrame = () => {
          if (done) return;
          count++;
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        setTimeout(() => {
          done = true;
          resolve(count);
        }, ms);
      }),
    [selector, ms],
  );
}
