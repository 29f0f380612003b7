/**
 * What every frame path shares: the stream pipelines (insertable streams, canvas) only
 * move frames; the Backdrop they serve decides what each output frame is.
 */

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

export interface Pipeline {
  /** The processed video track. */
  readonly track: MediaStreamTrack;
  /** Called by the worker's ticker (canvas path only). */
  tick?(): void;
  stop(): void;
}
