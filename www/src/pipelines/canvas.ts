/**
 * The canvas path, for browsers without insertable streams: the camera plays in a hidden
 * `<video>`, each frame goes to the worker as an `ImageBitmap`, and the result is drawn
 * on a canvas whose `captureStream()` is the output. Its own clock (clock.ts, a worker
 * timer) samples the video at the track's frame rate, so a hidden tab keeps its rate
 * (page timers and animation frames are throttled there). Which tick is processed when
 * is the frame gate's (frame-gate.ts).
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
  const output = canvas.captureStream(frameRate).getVideoTracks()[0];
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
      const processed = await transform(await createImageBitmap(video));
      if (!stopped) {
        resize(processed.width, processed.height);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(processed, 0, 0);
      }
      processed.close();
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
