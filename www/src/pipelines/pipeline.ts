/**
 * What every stream path shares. A path (insertable streams, canvas) is a source of
 * camera frames and a sink for output frames, behind one interface (`StreamPath`); the
 * frame gate (frame-gate.ts) decides which frame goes when, and the Backdrop they serve
 * (`PipelineHost`) decides what each output frame is.
 */

import { FrameGate, type Closable } from './frame-gate.js';

/** The input's frame rate assumed while it states none and none has been measured. */
export const DEFAULT_FRAME_RATE = 30;

export interface PipelineHost {
  /**
   * The output for one camera frame (consumed): the processed frame, or the privacy
   * frame when none can be had. Never rejects, never returns camera pixels unprocessed.
   */
  transform<F extends VideoFrame | ImageBitmap>(frame: F): Promise<F>;
  /** Records that the output showed the privacy frame because processing is too late. */
  late(): void;
  /** Records that an input frame arrived (processed or dropped), for the frame budget. */
  arrived(): void;
  /** Records a camera frame dropped because the previous one is still being processed. */
  dropped(): void;
  maxFrameDelayMs(): number;
  privacyColor(): string;
}

/** One way of getting frames from a camera track and output frames into a track. */
export interface StreamPath<F extends Closable> {
  /** The output track. */
  readonly track: MediaStreamTrack;
  /** The source: calls `push` with every input frame (awaiting it), and `ended` when the input ends. */
  start(push: (frame: F) => Promise<void>, ended: () => void): void;
  /** The sink: turns `frame` (consumed) into output through `transform`. */
  process(frame: F, transform: PipelineHost['transform']): Promise<void>;
  /** The sink: outputs the privacy frame in place of `late` (null: at the last size). */
  privacy(late: F | null, color: string): Promise<void> | void;
  /** Stops the source and the output track. */
  stop(): void;
}

export interface Pipeline {
  /** The processed video track. */
  readonly track: MediaStreamTrack;
  stop(): void;
}

/** Runs `path`'s frames through one frame gate to `host`. */
export function runPipeline<F extends Closable>(path: StreamPath<F>, host: PipelineHost): Pipeline {
  const gate = new FrameGate<F>(
    {
      process: (frame) => path.process(frame, (f) => host.transform(f)),
      privacy: (late) => path.privacy(late, host.privacyColor()),
    },
    {
      arrived: () => host.arrived(),
      dropped: () => host.dropped(),
      late: () => host.late(),
      maxFrameDelayMs: () => host.maxFrameDelayMs(),
    },
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    gate.stop();
    path.stop();
  };
  path.start((frame) => gate.push(frame), stop);
  return { track: path.track, stop };
}
