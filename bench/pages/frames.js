// The frames every runtime is timed on: real photographs of people (models/IMAGES.md),
// cropped to the frame's aspect ratio and scaled to its size, the way a camera frames them.

export const PHOTOS = [
  '12-webcam-blue-wall', '10-webcam-clock', '11-webcam-room', '14-portrait-white',
  '15-portrait-outdoor', '08-portrait-garden', '07-portrait-dark', '13-tuxedo',
];

async function loadImage(name) {
  const img = new Image();
  img.src = `/models/build/images/${name}.png`;
  await img.decode().catch(() => { throw new Error(`photo ${img.src} did not load (run bash models/build.sh)`); });
  return img;
}

/** Draws `img` centre-cropped to w×h. */
function fit(img, w, h) {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const scale = Math.max(w / img.naturalWidth, h / img.naturalHeight);
  const sw = w / scale;
  const sh = h / scale;
  ctx.drawImage(img, (img.naturalWidth - sw) / 2, (img.naturalHeight - sh) / 2, sw, sh, 0, 0, w, h);
  return canvas;
}

/** The photos as w×h frames: `{canvas, imageData}` each. */
export async function loadFrames(w, h) {
  const frames = [];
  for (const name of PHOTOS) {
    const canvas = fit(await loadImage(name), w, h);
    frames.push({ canvas, imageData: canvas.getContext('2d').getImageData(0, 0, w, h) });
  }
  return frames;
}

/**
 * A model's input tensor for a frame: the frame stretched to the model's size, RGB in 0..1,
 * NCHW, computed once per frame outside any timing (the peers that take a tensor get this).
 */
export function modelTensor(frame, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(frame.canvas, 0, 0, width, height);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    out[i] = rgba[4 * i] / 255;
    out[plane + i] = rgba[4 * i + 1] / 255;
    out[2 * plane + i] = rgba[4 * i + 2] / 255;
  }
  return out;
}

/**
 * The frame as I420 (BT.601, limited range), the layout a camera VideoFrame has in
 * Chromium: Y plane, then U and V at half resolution (2×2 averages).
 */
export function i420Of(imageData) {
  const { width: w, height: h, data } = imageData;
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const out = new Uint8Array(w * h + 2 * cw * ch);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = [data[4 * i], data[4 * i + 1], data[4 * i + 2]];
    out[i] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let [r, g, b, n] = [0, 0, 0, 0];
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const x = Math.min(2 * cx + dx, w - 1);
          const y = Math.min(2 * cy + dy, h - 1);
          const p = 4 * (y * w + x);
          r += data[p]; g += data[p + 1]; b += data[p + 2]; n++;
        }
      }
      [r, g, b] = [r / n, g / n, b / n];
      out[w * h + cy * cw + cx] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      out[w * h + cw * ch + cy * cw + cx] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return out;
}
