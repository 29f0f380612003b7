/**
 * The privacy frame: what Backdrop outputs whenever it has no processed frame to show
 * (the model is loading, a frame is too late, the worker failed). It is a solid frame
 * with none of the camera's pixels: the `remove` colour in remove mode (transparent when
 * that is `'transparent'`), dark grey otherwise.
 *
 * This is the only place that makes it: every frame path and `processFrame` call
 * `privacyFrame`, in the form they output.
 */

import type { BackdropOptions } from './options.js';

export const PRIVACY_GREY = '#202124';

/** The privacy frame's colour for these options. */
export function privacyColor(options: Pick<BackdropOptions, 'mode' | 'color'>): string {
  return options.mode === 'remove' ? options.color : PRIVACY_GREY;
}

/** `#rrggbb[aa]` or `transparent` as RGBA bytes. */
export function parseColor(color: string): [number, number, number, number] {
  if (color === 'transparent') return [0, 0, 0, 0];
  const hex = color.slice(1);
  const byte = (i: number) => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return [byte(0), byte(1), byte(2), hex.length === 8 ? byte(3) : 255];
}

let cached: { key: string; pixels: Uint8Array<ArrayBuffer> } | null = null;

/** `width`×`height` RGBA pixels of `color` (the last size and colour are kept). */
export function solidPixels(width: number, height: number, color: string): Uint8Array<ArrayBuffer> {
  const key = `${width}x${height}/${color}`;
  if (cached?.key !== key) {
    const rgba = parseColor(color);
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
    cached = { key, pixels };
  }
  return cached.pixels;
}

/** Where a privacy frame stands in for a frame: its size and (for VideoFrames) its timestamp. */
export interface FrameShape {
  readonly width: number;
  readonly height: number;
  readonly timestamp?: number;
}

/**
 * The privacy frame of `shape`'s size in `color`, as the kind of frame the caller outputs:
 * a `VideoFrame` (stream path, `processFrame`), `ImageData` (canvas path, drawn with
 * `putImageData`, which replaces the canvas's pixels) or an `ImageBitmap` (`processFrame`).
 */
export function privacyFrame(kind: 'VideoFrame', shape: FrameShape, color: string): VideoFrame;
export function privacyFrame(kind: 'ImageData', shape: FrameShape, color: string): ImageData;
export function privacyFrame(kind: 'ImageBitmap', shape: FrameShape, color: string): Promise<ImageBitmap>;
export function privacyFrame(
  kind: 'VideoFrame' | 'ImageData' | 'ImageBitmap',
  { width, height, timestamp = 0 }: FrameShape,
  color: string,
): VideoFrame | ImageData | Promise<ImageBitmap> {
  const pixels = solidPixels(width, height, color);
  if (kind === 'VideoFrame') {
    return new VideoFrame(pixels, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp });
  }
  const image = new ImageData(new Uint8ClampedArray(pixels), width, height);
  return kind === 'ImageData' ? image : createImageBitmap(image);
}
