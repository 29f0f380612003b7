/**
 * The insertable-streams path: camera `VideoFrame`s from a `MediaStreamTrackProcessor`
 * go to the worker and come back as new `VideoFrame`s written to a generated track. No
 * canvas, no colour conversion on the page; frame timing follows the camera, also in a
 * hidden tab.
 */

import { privacyVideoFrame } from '../privacy.js';
import type { Pipeline, PipelineHost } from './pipeline.js';

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

export function startInsertablePipeline(input: MediaStreamTrack, host: PipelineHost): Pipeline {
  const found = constructors();
  if (!found) throw new Error('insertable streams are not available in this browser');
  const reader = new found.Processor({ track: input }).readable.getReader();
  const generator = new found.Generator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  let stopped = false;
  let inFlight = false;
  let inFlightSince = 0;
  // The newest frame that arrived while the worker was busy: it goes next, so a frame
  // that costs more than the interval (one that runs the model, between cheaper ones
  // that reuse its mask) delays the output by at most a frame instead of dropping one.
  let waiting: VideoFrame | null = null;

  const write = (frame: VideoFrame) => {
    if (stopped) {
      frame.close();
      return Promise.resolve();
    }
    return writer.write(frame).catch(() => frame.close());
  };

  const run = (frame: VideoFrame) => {
    inFlight = true;
    inFlightSince = performance.now();
    void host
      .transform(frame)
      .then(write)
      .finally(() => {
        inFlight = false;
        const next = waiting;
        waiting = null;
        if (next && !stopped) run(next);
        else next?.close();
      });
  };

  const pump = async () => {
    while (!stopped) {
      const { done, value: frame } = await reader.read();
      if (done || !frame) break;
      host.arrived();
      if (inFlight) {
        // Still busy with an earlier frame: keep this one as the next, unless the output
        // has waited too long, then it shows the privacy frame rather than nothing new.
        if (performance.now() - inFlightSince > host.maxFrameDelayMs()) {
          host.late();
          const late = privacyVideoFrame(frame.displayWidth, frame.displayHeight, frame.timestamp, host.privacyColor());
          frame.close();
          await write(late);
        } else {
          if (waiting) {
            host.dropped();
            waiting.close();
          }
          waiting = frame;
        }
        continue;
      }
      run(frame);
    }
    stop();
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    waiting?.close();
    waiting = null;
    // The generated track first: closing its writer while it is live ends it as if from its
    // source, which fires 'ended' at whoever sends it (Galene then closes the whole
    // stream, camera included); a track the page stopped fires nothing.
    generator.stop();
    void reader.cancel().catch(() => undefined);
    void writer.close().catch(() => undefined);
  };

  void pump();
  return { track: generator, stop };
}
