// Draws the demo's built-in backgrounds: procedural scenes written as PNG files next to
// this script. No photographs, nothing downloaded; the output is committed, and running
// this again (`node www/demo/backgrounds/make-backgrounds.mjs`) reproduces it exactly.
//
// Each scene is a function (x, y in 0..1) → [r, g, b] in 0..255, sampled 2×2 per pixel.

import { writeFileSync } from 'node:fs';
import { encodePng } from '../../../scripts/png.mjs';
import { join } from 'node:path';

const WIDTH = 960;
const HEIGHT = 540;
const ASPECT = WIDTH / HEIGHT;

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const clamp01 = (t) => Math.min(1, Math.max(0, t));
const smooth = (e0, e1, v) => {
  const t = clamp01((v - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};
/** Coverage of a soft disc at (cx, cy), radius r, edge width soft (x scaled by the aspect ratio). */
const disc = (x, y, cx, cy, r, soft) => 1 - smooth(r - soft, r + soft, Math.hypot((x - cx) * ASPECT, y - cy));
/** Coverage of an axis-aligned rectangle with a soft edge. */
const rect = (x, y, x0, y0, x1, y1, soft = 0.002) =>
  smooth(x0 - soft, x0 + soft, x) * (1 - smooth(x1 - soft, x1 + soft, x)) * smooth(y0 - soft, y0 + soft, y) * (1 - smooth(y1 - soft, y1 + soft, y));

/** Dusk over soft hills: a warm sky, a low sun, two ridges. */
function dusk(x, y) {
  let c = y < 0.55 ? mix([58, 72, 140], [250, 170, 120], smooth(0, 0.55, y)) : [250, 170, 120];
  c = mix(c, [255, 226, 170], disc(x, y, 0.68, 0.5, 0.09, 0.01) * 0.9);
  c = mix(c, [255, 200, 150], 0.35 * disc(x, y, 0.68, 0.5, 0.3, 0.2));
  const far = 0.6 + 0.05 * Math.sin(x * 7.0 + 1.2) + 0.025 * Math.sin(x * 17.0);
  c = mix(c, [120, 96, 140], smooth(far - 0.004, far + 0.004, y));
  const near = 0.74 + 0.06 * Math.sin(x * 4.3 + 2.5) + 0.02 * Math.sin(x * 13.0 + 0.4);
  c = mix(c, mix([70, 60, 96], [44, 40, 70], smooth(near, 1, y)), smooth(near - 0.004, near + 0.004, y));
  return c;
}

/** An office wall: painted wall with a lamp's glow, a shelf with books, a framed print and a plant. */
function office(x, y) {
  let c = mix([226, 214, 196], [196, 182, 162], y);
  c = mix(c, [245, 236, 220], 0.5 * disc(x, y, 0.2, 0.15, 0.45, 0.35));
  // Floor skirting.
  c = mix(c, [150, 120, 96], rect(x, y, 0, 0.9, 1, 1));
  // A framed print: dark frame, pale mat, blue-green abstract.
  c = mix(c, [60, 52, 48], rect(x, y, 0.12, 0.18, 0.36, 0.52));
  c = mix(c, [240, 236, 228], rect(x, y, 0.13, 0.2, 0.35, 0.5));
  const art = mix([90, 140, 160], [160, 200, 180], smooth(0.22, 0.46, y + 0.1 * Math.sin(x * 30)));
  c = mix(c, art, rect(x, y, 0.16, 0.25, 0.32, 0.45));
  // A shelf with books.
  c = mix(c, [120, 88, 62], rect(x, y, 0.6, 0.42, 0.95, 0.45));
  const books = [[0.63, 0.3, [150, 60, 50]], [0.66, 0.26, [60, 90, 130]], [0.695, 0.29, [210, 170, 80]], [0.72, 0.27, [70, 120, 90]], [0.755, 0.31, [180, 150, 130]]];
  for (const [bx, top, colour] of books) c = mix(c, colour, rect(x, y, bx, top, bx + 0.03, 0.42));
  // A plant in a pot on the shelf.
  c = mix(c, [200, 120, 80], rect(x, y, 0.85, 0.36, 0.9, 0.42));
  for (const [lx, ly, r] of [[0.86, 0.31, 0.05], [0.89, 0.28, 0.045], [0.875, 0.24, 0.04], [0.84, 0.27, 0.035]]) {
    c = mix(c, [80, 130, 70], disc(x, y, lx, ly, r, 0.006));
  }
  return c;
}

/** Soft out-of-focus lights on a deep blue-violet gradient. */
function bokeh(x, y) {
  let c = mix([20, 24, 60], [70, 30, 90], clamp01(0.6 * x + 0.4 * y));
  const lights = [
    [0.1, 0.2, 0.08, [255, 190, 120]], [0.25, 0.7, 0.06, [120, 200, 255]], [0.42, 0.35, 0.1, [255, 150, 200]],
    [0.6, 0.8, 0.07, [255, 220, 140]], [0.75, 0.25, 0.09, [140, 255, 220]], [0.9, 0.6, 0.11, [200, 160, 255]],
    [0.55, 0.1, 0.05, [255, 255, 200]], [0.05, 0.85, 0.07, [255, 170, 150]],
  ];
  for (const [lx, ly, r, colour] of lights) c = mix(c, colour, 0.55 * disc(x, y, lx, ly, r, r * 0.35));
  return c;
}

/** Calm sea: sky, horizon haze and water with gentle bands. */
function sea(x, y) {
  const horizon = 0.5;
  if (y < horizon) {
    let c = mix([120, 170, 220], [220, 232, 240], smooth(0, horizon, y));
    c = mix(c, [255, 255, 255], 0.6 * disc(x, y, 0.3, 0.18, 0.12, 0.08) + 0.5 * disc(x, y, 0.42, 0.2, 0.08, 0.06));
    return c;
  }
  const depth = smooth(horizon, 1, y);
  let c = mix([150, 190, 205], [30, 90, 120], depth);
  c = mix(c, [190, 220, 230], 0.12 * (0.5 + 0.5 * Math.sin(y * 160 + Math.sin(x * 9) * 2)) * (1 - depth));
  return c;
}

const SCENES = { dusk, office, bokeh, sea };

function render(scene) {
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let py = 0; py < HEIGHT; py++) {
    for (let px = 0; px < WIDTH; px++) {
      const sum = [0, 0, 0];
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        scene((px + dx) / WIDTH, (py + dy) / HEIGHT).forEach((v, i) => (sum[i] += v));
      }
      for (let i = 0; i < 3; i++) rgb[(py * WIDTH + px) * 3 + i] = Math.round(Math.min(255, Math.max(0, sum[i] / 4)));
    }
  }
  return rgb;
}

for (const [name, scene] of Object.entries(SCENES)) {
  const png = encodePng(render(scene), WIDTH, HEIGHT);
  const path = join(import.meta.dirname, `${name}.png`);
  writeFileSync(path, png);
  console.log(`${path}: ${WIDTH}×${HEIGHT}, ${(png.length / 1024).toFixed(1)} kB`);
}
