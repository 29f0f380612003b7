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
