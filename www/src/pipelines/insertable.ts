/**
 * The insertable-streams path: camera `VideoFrame`s from a `MediaStreamTrackProcessor`
 * go to the worker and come back as new `VideoFrame`s written to a generated track. No
 * canvas, no colour conversion on the page; frame timing follows the camera, also in a
 * hidden tab. Which frame goes when is the frame gate's (frame-gate.ts).
 */

import { privacyFrame, type FrameShape } from '../privacy.js';
import type { StreamPath } from './pipeline.js';

interface TrackGenerator extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
type GeneratorConstructor = new (init: { kind: 'video' }) => TrackGenerator;
type ProcessorConstructor = new (init: { track: MediaStreamTrack }) => { readonly readable: ReadableStream<VideoFrame> };

function constructors(): { Processor: ProcessorConstructor; Generator: GeneratorConstructor } | null {
  const scope = globalThis as unknown as {
    MediaStreamTrackProcessor?: ProcessorConstructor;
    MediaStreamTrackGenerator?: GeneratorConstructor;
  };
  if (typeof scope.MediaStreamTrackProcessor !== 'function' || typeof scope.MediaStreamTrackGenerator !== 'function') {
    return null;
  }
  return { Processor: scope.MediaStreamTrackProcessor, Generator: scope.MediaStreamTrackGenerator };
}

export function insertableStreamsSupported(): boolean {
  return constructors() !== null && typeof VideoFrame === 'function';
}

/** Camera `VideoFrame`s in, through a `MediaStreamTrackProcessor`; `VideoFrame`s out, to a generator. */
export function insertablePath(input: MediaStreamTrack): StreamPath<VideoFrame> {
  const found = constructors();
  if (!found) throw new Error('insertable streams are not available in this browser');
  const reader = new found.Processor({ track: input }).readable.getReader();
  const generator = new found.Generator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  let stopped = false;
  /** The last input's size and time, for a privacy frame that stands in for no frame. */
  let last: FrameShape | null = null;

  const write = (frame: VideoFrame) => {
    // A generated track the host stopped (not through `stop`) takes no more frames.
    if (stopped || generator.readyState === 'ended') {
      frame.close();
      return Promise.resolve();
    }
    return writer.write(frame).catch(() => frame.close());
  };

  return {
    track: generator,
    start(push, ended) {
      void (async () => {
        while (!stopped) {
          const { done, value: frame } = await reader.read();
          if (done || !frame) break;
          await push(frame);
        }
        ended();
      })();
    },
    process(frame, transform) {
      last = shapeOf(frame);
      return transform(frame).then(write);
    },
    privacy(late, color) {
      const shape = late ? shapeOf(late) : last;
      if (!shape || stopped) return;
      return write(privacyFrame('VideoFrame', shape, color));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // The generated track first: closing its writer while it is live ends it as if from its
      // source, which fires 'ended' at whoever sends it (Galene then closes the whole
      // stream, camera included); a track the page stopped fires nothing.
      generator.stop();
      void reader.cancel().catch(() => undefined);
      void writer.close().catch(() => undefined);
    },
  };
}

/** A frame's displayed size and time: what a privacy frame standing in for it needs. */
function shapeOf(frame: VideoFrame): FrameShape {
  return { width: frame.displayWidth, height: frame.displayHeight, timestamp: frame.timestamp };
}
