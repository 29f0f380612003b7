// A page for the package's own end-to-end tests: the package from www/dist (served with
// the repository as root), a source (the fake camera, or the camera sent through a
// loopback WebRTC connection and received again), and counters the tests read.

import * as backdropModule from '/www/dist/index.js';

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
 * Starts Backdrop on a source. `source`: 'camera' or 'webrtc'; `path`: the frame path
 * (default: the package's choice). Other fields go to createBackdrop.
 */
async function start({ source = 'camera', path, ...options }) {
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, frameRate: 30 } });
  const cameraTrack = camera.getVideoTracks()[0];
  let input = camera;
  let connections = [];
  if (source === 'webrtc') ({ stream: input, connections } = await loopback(cameraTrack));
  const backdrop = await backdropModule.createBackdrop(options);
  const processed = backdrop.process(input, path ? { path } : {});
  const video = document.getElementById('processed');
  video.srcObject = processed;
  await video.play();
  const counter = countPresented(video);
  window.harness.session = { backdrop, camera: cameraTrack, input: input.getVideoTracks()[0], counter, connections };
  return { inputSettings: input.getVideoTracks()[0].getSettings() };
}

/** Frames the camera delivered so far and frames the output presented, with a timestamp. */
function counts() {
  const { camera, counter } = window.harness.session;
  return { input: camera.stats?.totalFrames ?? null, output: counter.presented, at: performance.now() };
}

window.harness = { module: backdropModule, start, counts, session: null };
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';
