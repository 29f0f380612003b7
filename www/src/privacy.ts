/**
 * The privacy frame: what Backdrop outputs whenever it has no processed frame to show
 * (the model is loading, a frame is too late, the worker failed). It is a solid frame
 * with none of the camera's pixels: the `remove` colour in remove mode (transparent when
 * that is `'transparent'`), dark grey otherwise.
 */

import type { BackdropOptions } from './options.js';

export const PRIVACY_GREY = '#202124';

export function privacyColor(options: BackdropOptions): string {
  return options.mode === 'remove' ? options.color : PRIVACY_GREY;
}

/** `#rrggbb[aa]` or `transparent` as RGBA bytes. */
export function parseColor(color: string): [number, number, number, number] {
  if (color === 'transparent') return [0, 0, 0, 0];
  const hex = color.slice(1);
  const byte = (i: number) => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return [byte(0), byte(1), byte(2), hex.length === 8 ? byte(3) : 255];
}

let cached: { key: string; pixels: Uint8Array } | null = null;

function solidPixels(width: number, height: number, color: string): Uint8Array {
  const key = `${width}x${height}/${color}`;
  if (cached?.key !== key) {
    const rgba = parseColor(color);
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
    cached = { key, pixels };
  }
  return cached.pixels;
}

export function privacyVideoFrame(width: number, height: number, timestamp: number, color: string): VideoFrame {
  return new VideoFrame(solidPixels(width, height, color), {
    format: 'RGBA',
    codedWidth: width,
    codedHeight: height,
    timestamp,
  });
}

export function privacyImageBitmap(width: number, height: number, color: string): Promise<ImageBitmap> {
  const data = new ImageData(new Uint8ClampedArray(solidPixels(width, height, color)), width, height);
  return createImageBitmap(data);
}

export function paintPrivacy(ctx: CanvasRenderingContext2D, color: string): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = color === 'transparent' ? 'rgba(0,0,0,0)' : color;
  ctx.fillRect(0, 0, width, height);
}
