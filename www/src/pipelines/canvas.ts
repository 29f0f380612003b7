/**
 * The canvas path, for browsers without insertable streams: the camera plays in a hidden
 * `<video>`, each frame goes to the worker as an `ImageBitmap`, and the result is drawn
 * on a canvas whose `captureStream()` is the output. The worker's timer drives it, so a
 * hidden tab keeps its frame rate (page timers and animation frames are throttled there).
 */

import { paintPrivacy } from '../privacy.js';
import type { Pipeline, PipelineHost } from './pipeline.js';

export function startCanvasPipeline(input: MediaStreamTrack, host: PipelineHost): Pipeline & { tick(): void } {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([input]);
  void video.play().catch(() => undefined);

  const settings = input.getSettings();
  const canvas = document.createElement('canvas');
  canvas.width = settings.width ?? 640;
  canvas.height = settings.height ?? 480;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas context for the output');
  paintPrivacy(ctx, host.privacyColor()); // never a frame of camera pixels, not even the first
  const output = canvas.captureStream(settings.frameRate ?? 30).getVideoTracks()[0];
  if (!output) throw new Error('canvas.captureStream() gave no video track');

  let stopped = false;
  let inFlight = false;
  let inFlightSince = 0;

  const resize = (width: number, height: number) => {
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  };

  const tick = () => {
    if (stopped || video.readyState < 2 || video.videoWidth === 0) return;
    host.arrived();
    if (inFlight) {
      if (performance.now() - inFlightSince > host.maxFrameDelayMs()) {
        host.late();
        paintPrivacy(ctx, host.privacyColor());
      } else {
        host.dropped();
      }
      return;
    }
    inFlight = true;
    inFlightSince = performance.now();
    createImageBitmap(video)
      .then((bitmap) => host.transform(bitmap))
      .then((processed) => {
        if (!stopped) {
          resize(processed.width, processed.height);
          ctx.clearRect(0, 0, canvas.width, canvas.height);
          ctx.drawImage(processed, 0, 0);
        }
        processed.close();
      })
      .catch(() => paintPrivacy(ctx, host.privacyColor()))
      .finally(() => {
        inFlight = false;
      });
  };

  const stop = () => {
    stopped = true;
    video.pause();
    video.srcObject = null;
    output.stop();
  };
  input.addEventListener('ended', stop);
  return { track: output, tick, stop };
}
