/**
 * Frame conversion in the worker: a camera frame's pixels into wasm memory, and the
 * processed pixels out of it as the same kind of frame.
 */

import type { Processor } from './load.js';

export type Frame = VideoFrame | ImageBitmap;

function isVideoFrame(frame: Frame): frame is VideoFrame {
  return typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame;
}

export class FrameConverter {
  /** One scratch canvas for the formats the browser converts, and for ImageBitmap output. */
  #canvas: OffscreenCanvas | null = null;

  /**
   * Copies `frame`'s pixels into wasm memory and has `processor` process them. Returns the
   * size processed. I420 frames (Chrome's camera frames) are copied as planes and
   * converted in the core; any other format is converted to RGBA by the browser.
   */
  async process(processor: Processor, frame: Frame): Promise<[number, number]> {
    if (isVideoFrame(frame)) {
      const { width, height } = frame.visibleRect ?? { width: frame.displayWidth, height: frame.displayHeight };
      if (frame.format === 'I420' && width % 2 === 0 && height % 2 === 0) {
        const ySize = width * height;
        const cSize = (width / 2) * (height / 2);
        const view = processor.inputBuffer(ySize + 2 * cSize);
        await frame.copyTo(view, {
          layout: [
            { offset: 0, stride: width },
            { offset: ySize, stride: width / 2 },
            { offset: ySize + cSize, stride: width / 2 },
          ],
        });
        processor.processI420Input(width, height);
        return [width, height];
      }
    }
    const width = 'displayWidth' in frame ? frame.displayWidth : frame.width;
    const height = 'displayHeight' in frame ? frame.displayHeight : frame.height;
    const ctx = this.#context(width, height);
    ctx.drawImage(frame, 0, 0, width, height);
    const image = ctx.getImageData(0, 0, width, height);
    processor.processRgba(new Uint8Array(image.data.buffer), width, height, width * 4);
    return [width, height];
  }

  /** The processor's output (`width`×`height` RGBA) as the kind of frame `input` is, with its timing. */
  async output(processor: Processor, input: Frame, width: number, height: number): Promise<Frame> {
    const output = processor.output();
    if (isVideoFrame(input)) {
      return new VideoFrame(output, {
        format: 'RGBA',
        codedWidth: width,
        codedHeight: height,
        timestamp: input.timestamp,
        ...(input.duration !== null ? { duration: input.duration } : {}),
      });
    }
    const ctx = this.#context(width, height);
    ctx.putImageData(new ImageData(new Uint8ClampedArray(output), width, height), 0, 0);
    return createImageBitmap(ctx.canvas);
  }

  #context(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!this.#canvas) this.#canvas = new OffscreenCanvas(width, height);
    if (this.#canvas.width !== width || this.#canvas.height !== height) {
      this.#canvas.width = width;
      this.#canvas.height = height;
    }
    const ctx = this.#canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D context in the worker');
    return ctx;
  }
}
