// A page for the package's own end-to-end tests: the package from www/dist (served with
// the repository as root), a source (the fake camera, the person clip drawn on a canvas
// for browsers whose fake camera is not a person (clip-camera.js), or either sent through
// a loopback WebRTC connection and received again), and counters the tests read; on
// request the package's test hooks and the output auditor (audit.js).

import * as backdropModule from '/www/dist/index.js';
import { enableTestHooks, testHooks } from '/www/dist/test-hooks.js';
import { auditTrack } from './audit.js';
import { clipCamera } from './clip-camera.js';

/** Frames the output <video> presented, by requestVideoFrameCallback. */
function countPresented(video) {
  const counter = { presented: 0 };
  const onFrame = (_now, metadata) => {
    counter.presented = metadata.presentedFrames;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  return counter;
}

/** Sends `track` from one RTCPeerConnection to another in this page; resolves with the received stream. */
async function loopback(track) {
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (e) => e.candidate && receiver.addIceCandidate(e.candidate);
  receiver.onicecandidate = (e) => e.candidate && sender.addIceCandidate(e.candidate);
  const received = new Promise((resolve) => {
    receiver.ontrack = (e) => resolve(e.streams[0] ?? new MediaStream([e.track]));
  });
  sender.addTrack(track, new MediaStream([track]));
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription);
  return { stream: await received, connections: [sender, receiver] };
}

/**
 * Records every statechange of `backdrop` as `{state, reason, at}` (page milliseconds),
 * and every failclosed event (also those while fail-closed) in `failures`.
 */
function recordStates(backdrop) {
  const states = [{ state: backdrop.state, reason: 'created', at: performance.now() }];
  const failures = [];
  backdrop.addEventListener('statechange', (event) => states.push({ ...event.detail, at: performance.now() }));
  backdrop.addEventListener('failclosed', (event) => failures.push({ reason: event.detail.reason, at: performance.now() }));
  return { states, failures };
}

/**
 * Times the canvas path's two steps on the page, for the frame-rate tests: taking the
 * video's picture (`new VideoFrame(video)` or `createImageBitmap(video)`: the readback)
 * and drawing a processed frame on a canvas the page did not make (the output canvas).
 * Test-only wrappers of the browser's own functions, installed before Backdrop starts;
 * returns `{take, draw}` (lists of the last 300 times, ms).
 */
function profileCanvasPath(exclude) {
  const times = { take: [], draw: [] };
  const record = (list, ms) => {
    list.push(ms);
    if (list.length > 300) list.shift();
  };
  if (typeof VideoFrame === 'function') {
    window.VideoFrame = new Proxy(VideoFrame, {
      construct(target, args, newTarget) {
        const t = performance.now();
        const frame = Reflect.construct(target, args, newTarget);
        if (args[0] instanceof HTMLVideoElement) record(times.take, performance.now() - t);
        return frame;
      },
    });
  }
  const nativeBitmap = window.createImageBitmap;
  window.createImageBitmap = async function (source, ...rest) {
    const t = performance.now();
    const bitmap = await nativeBitmap.call(this, source, ...rest);
    if (source instanceof HTMLVideoElement) record(times.take, performance.now() - t);
    return bitmap;
  };
  const nativeDraw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (image, ...rest) {
    const t = performance.now();
    const result = nativeDraw.call(this, image, ...rest);
    if (!exclude.has(this.canvas) && !(image instanceof HTMLVideoElement)) record(times.draw, performance.now() - t);
    return result;
  };
  return times;
}

/**
 * Starts Backdrop on a source. `source`: 'camera', 'clip' (the person clip on a canvas,
 * clip-camera.js) or 'webrtc' (the camera, or with `webrtcOf: 'clip'` the clip, through
 * a loopback connection); `audio`: the fake microphone's track added to the input;
 * `path`: the frame path (default: the package's choice); `frameRate`: the camera's rate
 * at most (default 30); `testHooks`: the package's test hooks on (www/src/test-hooks.ts,
 * `session.hooks`); `audit`: every output frame audited (audit.js, `session.audit`);
 * `profile`: the canvas path's steps on the page timed (`session.profile`, see
 * profileCanvasPath). Other fields go to createBackdrop.
 */
async function start({
  source = 'camera', webrtcOf = 'camera', audio = false, path, frameRate = 30, testHooks: hooks = false, audit = false, profile = false, ...options
}) {
  if (hooks) enableTestHooks();
  const clip = source === 'clip' || (source === 'webrtc' && webrtcOf === 'clip') ? await clipCamera({ frameRate }) : null;
  const profiled = profile ? profileCanvasPath(new Set(clip ? [clip.canvas] : [])) : null;
  const camera = clip ? clip.stream : await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: { max: frameRate } } });
  const cameraTrack = camera.getVideoTracks()[0];
  let input = camera;
  let connections = [];
  if (source === 'webrtc') ({ stream: input, connections } = await loopback(cameraTrack));
  if (audio) input = new MediaStream([...input.getVideoTracks(), ...(await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()]);
  const backdrop = await backdropModule.createBackdrop(options);
  const { states, failures } = recordStates(backdrop);
  const processed = backdrop.process(input, path ? { path } : {});
  const auditor = audit ? auditTrack(processed.getVideoTracks()[0]) : null;
  const video = document.getElementById('processed');
  video.srcObject = processed;
  await video.play();
  const counter = countPresented(video);
  window.harness.session = {
    backdrop, camera: cameraTrack, clip, input: input.getVideoTracks()[0], inputStream: input, counter, connections,
    processed, output: processed.getVideoTracks()[0], states, failures, audit: auditor, hooks: hooks ? testHooks(backdrop) : null,
    profile: profiled,
  };
  return { inputSettings: input.getVideoTracks()[0].getSettings() };
}

/**
 * A second input for the session's Backdrop: the camera drawn on a canvas of `width` ×
 * `height` (the picture squeezed to it) every 33 ms, processed on `path` and audited.
 * Chromium's fake camera keeps its file's size for a MediaStreamTrackProcessor whatever
 * applyConstraints says, so a canvas is how a test changes the input's size. Sets
 * `session.sized` (the output stream), `session.sizedAudit`, `session.resize(w, h)` (a
 * resized canvas is cleared: it is drawn again at once, so no black picture is captured)
 * and `session.stopDrawing()`. `endCamera`: the canvas draws a clone of the camera's
 * track and the camera's own stream ends.
 */
async function sizedSource({ width, height, path, endCamera = false }) {
  const s = window.harness.session;
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = new MediaStream([endCamera ? s.camera.clone() : s.camera]);
  await video.play();
  if (endCamera) s.camera.stop();
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  const ctx = canvas.getContext('2d');
  const draw = () => ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  draw();
  const timer = setInterval(draw, 33);
  s.resize = (w, h) => { [canvas.width, canvas.height] = [w, h]; draw(); };
  s.stopDrawing = () => clearInterval(timer);
  s.sized = s.backdrop.process(canvas.captureStream(30), path ? { path } : {});
  s.sizedAudit = auditTrack(s.sized.getVideoTracks()[0]);
}

/**
 * Frames the camera delivered so far (Chromium's track stats, the clip's drawn frames, or
 * null) and frames the output presented, with a timestamp.
 */
function counts() {
  const { camera, clip, counter } = window.harness.session;
  return { input: camera.stats?.deliveredFrames ?? clip?.drawn ?? null, output: counter.presented, at: performance.now() };
}

window.harness = { module: backdropModule, start, counts, sizedSource, session: null, auditTrack, recordStates, loopback };
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';

/** The person clip's first frame as RGBA pixels (clip-camera.js, for browsers whose fake camera is not a person). */
async function clipPixels() {
  const clip = await clipCamera();
  const bitmap = clip.bitmaps[0];
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  clip.stop();
  for (const b of clip.bitmaps) b.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

/** One frame of the fake camera as RGBA pixels. */
async function cameraPixels() {
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  const track = camera.getVideoTracks()[0];
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  // The first frames of a fake device can be black: take a later one.
  let frame = null;
  for (let i = 0; i < 10; i++) {
    frame?.close();
    frame = (await reader.read()).value;
  }
  const canvas = new OffscreenCanvas(frame.displayWidth, frame.displayHeight);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(frame, 0, 0);
  frame.close();
  reader.cancel();
  track.stop();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

function scaled(image, width, height) {
  const source = new OffscreenCanvas(image.width, image.height);
  source.getContext('2d').putImageData(image, 0, 0);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(source, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

/** `image` (ImageData) as a VideoFrame of `format`: RGBA, RGBX, BGRA, BGRX, I420 or NV12 (BT.601 limited range). */
function videoFrame(image, format, timestamp) {
  const { width, height, data } = image;
  const init = { format, codedWidth: width, codedHeight: height, timestamp };
  if (format === 'RGBA' || format === 'RGBX') return new VideoFrame(data, init);
  if (format === 'BGRA' || format === 'BGRX') {
    const bgra = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i += 4) {
      bgra[i] = data[i + 2];
      bgra[i + 1] = data[i + 1];
      bgra[i + 2] = data[i];
      bgra[i + 3] = data[i + 3];
    }
    return new VideoFrame(bgra, init);
  }
  const cw = width / 2;
  const ch = height / 2;
  const y = new Uint8Array(width * height);
  const u = new Uint8Array(cw * ch);
  const v = new Uint8Array(cw * ch);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 4;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      y[row * width + col] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
      if (row % 2 === 0 && col % 2 === 0) {
        const c = (row / 2) * cw + col / 2;
        u[c] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
        v[c] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
      }
    }
  }
  const colorSpace = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false };
  if (format === 'I420') {
    const buffer = new Uint8Array(y.length + u.length + v.length);
    buffer.set(y, 0);
    buffer.set(u, y.length);
    buffer.set(v, y.length + u.length);
    return new VideoFrame(buffer, { ...init, colorSpace });
  }
  const nv12 = new Uint8Array(y.length + 2 * u.length);
  nv12.set(y, 0);
  for (let c = 0; c < u.length; c++) {
    nv12[y.length + 2 * c] = u[c];
    nv12[y.length + 2 * c + 1] = v[c];
  }
  return new VideoFrame(nv12, { ...init, format: 'NV12', colorSpace });
}

/** Fractions of `region` (in 640×480 coordinates, scaled to the frame) within 40 of `rgb`, per region. */
async function frameFractions(frame, regions, rgb) {
  const canvas = new OffscreenCanvas(frame.displayWidth ?? frame.width, frame.displayHeight ?? frame.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(frame, 0, 0);
  const sx = canvas.width / 640;
  const sy = canvas.height / 480;
  const out = {};
  for (const [name, r] of Object.entries(regions)) {
    const { data } = ctx.getImageData(Math.round(r.x * sx), Math.round(r.y * sy), Math.max(1, Math.round(r.width * sx)), Math.max(1, Math.round(r.height * sy)));
    let close = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.max(Math.abs(data[i] - rgb[0]), Math.abs(data[i + 1] - rgb[1]), Math.abs(data[i + 2] - rgb[2])) <= 40) close++;
    }
    out[name] = close / (data.length / 4);
  }
  return out;
}

/**
 * Runs the camera picture (`source` 'clip': the person clip's) through
 * `backdrop.processFrame` as each of `cases` ({format, width, height}; format
 * 'ImageBitmap': an ImageBitmap in, one out), a few frames each (temporal smoothing
 * settles); returns per case the output's kind, size and the fractions of `regions` close to `rgb`.
 */
async function processFormats({ cases, regions, rgb, options, source = 'camera' }) {
  const backdrop = await backdropModule.createBackdrop(options);
  await backdrop.ready;
  const image = source === 'clip' ? await clipPixels() : await cameraPixels();
  const results = [];
  let timestamp = 0;
  for (const { format, width, height } of cases) {
    const picture = width === image.width && height === image.height ? image : scaled(image, width, height);
    let output = null;
    for (let i = 0; i < 4; i++) {
      output?.close();
      const input = format === 'ImageBitmap' ? await createImageBitmap(picture) : videoFrame(picture, format, (timestamp += 33_000));
      output = await backdrop.processFrame(input);
    }
    results.push({
      format,
      kind: output.constructor.name,
      size: [output.displayWidth ?? output.width, output.displayHeight ?? output.height],
      fractions: await frameFractions(output, regions, rgb),
      state: backdrop.state,
    });
    output.close();
  }
  const stats = backdrop.stats();
  backdrop.destroy();
  return { results, privacyFrames: stats.privacyFrames };
}

window.harness.processFormats = processFormats;
