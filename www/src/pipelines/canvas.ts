/**
 * The canvas path, for browsers without insertable streams (Firefox): the camera plays in
 * a hidden `<video>`, each frame goes to the worker as a `VideoFrame` taken from the video
 * (an `ImageBitmap` where `VideoFrame` is missing), and the result is drawn on a canvas
 * whose `captureStream()` is the output: without a frame rate, so that each drawing is one
 * output frame (Firefox's capture at a fixed rate delivered about 17 of 30). Its own clock
 * (clock.ts, a worker timer) samples the video at the track's frame rate, so a hidden tab
 * keeps its rate (page timers and animation frames are throttled there). Which tick is
 * processed when is the frame gate's (frame-gate.ts).
 */

import { privacyFrame } from '../privacy.js';
import { startClock, type Clock } from './clock.js';
import { DEFAULT_FRAME_RATE, type StreamPath } from './pipeline.js';

/**
 * One tick of the clock while the video has a picture: the gate's frame for this path.
 * The picture is taken from the video only when the tick is processed (the newest one
 * then), so a tick that waits or is dropped costs nothing and holds nothing.
 */
export class VideoTick {
  close(): void {
    /* nothing held */
  }
}

/**
 * The video's current picture: a `VideoFrame` of it (no copy on the page; the worker
 * reads its pixels once), or an `ImageBitmap` where `VideoFrame` is missing or refuses
 * the video.
 */
async function takeFrame(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  if (typeof VideoFrame === 'function') {
    try {
      return new VideoFrame(video);
    } catch {
      /* an ImageBitmap below */
    }
  }
  return createImageBitmap(video);
}

/** `privacyColor`: what the canvas shows until the first frame is processed. */
export function canvasPath(input: MediaStreamTrack, privacyColor: string): StreamPath<VideoTick> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([input]);
  void video.play().catch(() => undefined);

  const settings = input.getSettings();
  const frameRate = settings.frameRate && settings.frameRate > 0 ? settings.frameRate : DEFAULT_FRAME_RATE;
  const canvas = document.createElement('canvas');
  canvas.width = settings.width ?? 640;
  canvas.height = settings.height ?? 480;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the output');
  const paintPrivacy = (color: string) => ctx.putImageData(privacyFrame('ImageData', canvas, color), 0, 0);
  paintPrivacy(privacyColor); // never a frame of camera pixels, not even the first
  const output = canvas.captureStream().getVideoTracks()[0];
  if (!output) throw new Error('canvas.captureStream() gave no video track');

  let stopped = false;
  let clock: Clock | null = null;

  const resize = (width: number, height: number) => {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  };

  return {
    track: output,
    start(push, ended) {
      clock = startClock(1000 / frameRate, () => {
        // A track the page stops fires no 'ended'; the output ends with it all the same.
        if (input.readyState === 'ended' && !stopped) ended();
        if (stopped || video.readyState < 2 || video.videoWidth === 0) return;
        void push(new VideoTick());
      });
      input.addEventListener('ended', ended);
    },
    async process(tick, transform) {
      tick.close();
      const processed = await transform(await takeFrame(video));
      try {
        if (!stopped) {
          const [width, height] = 'displayWidth' in processed ? [processed.displayWidth, processed.displayHeight] : [processed.width, processed.height];
          resize(width, height);
          ctx.clearRect(0, 0, width, height);
          ctx.drawImage(processed, 0, 0);
        }
      } finally {
        processed.close();
      }
    },
    privacy(_late, color) {
      if (!stopped) paintPrivacy(color);
    },
    stop() {
      stopped = true;
      clock?.stop();
      video.pause();
      video.srcObject = null;
      output.stop();
    },
  };
}
