// Where the demo's video comes from: a camera (getUserMedia) or a local video file played
// in a <video> whose captureStream() is the input. Either way the result is a MediaStream.

/** Opens a camera at `resolution` ('WIDTHxHEIGHT'); `deviceId` '' means the default one. */
export async function openCamera(deviceId, resolution) {
  const [width, height] = resolution.split('x').map(Number);
  const video = { width: { ideal: width }, height: { ideal: height } };
  if (deviceId) video.deviceId = { exact: deviceId };
  return navigator.mediaDevices.getUserMedia({ video, audio: false });
}

/** The cameras the page may name (labels appear once permission is granted). */
export async function listCameras() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'videoinput');
}

/** A message a person can act on, for an error of getUserMedia. */
export function cameraErrorMessage(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow the camera for this page in the browser (the icon in the address bar) and reload, or pick a video file as the source.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect one and reload, or pick a video file as the source.';
    case 'NotReadableError':
      return 'The camera is busy in another application. Close it there and reload.';
    default:
      return `The camera could not be opened: ${err?.message ?? err}`;
  }
}

/**
 * Plays `file` (looped, muted) in `player` and returns the player's captureStream(),
 * once the first frame is there. Rejects with a clear message for a file the browser
 * cannot decode.
 */
export async function openVideoFile(file, player) {
  if (!(file instanceof Blob)) throw new Error('no file was chosen');
  if (file.type && !file.type.startsWith('video/')) throw new Error(`${file.name} is not a video (${file.type})`);
  if (player.src) URL.revokeObjectURL(player.src);
  player.src = URL.createObjectURL(file);
  await new Promise((resolve, reject) => {
    const cleanUp = () => {
      player.removeEventListener('loadeddata', onData);
      player.removeEventListener('error', onError);
    };
    const onData = () => { cleanUp(); resolve(); };
    const onError = () => { cleanUp(); reject(new Error(`${file.name || 'the file'} cannot be played by this browser`)); };
    player.addEventListener('loadeddata', onData);
    player.addEventListener('error', onError);
  });
  await player.play();
  const stream = player.captureStream();
  if (stream.getVideoTracks().length === 0) throw new Error(`${file.name || 'the file'} has no video track`);
  return stream;
}

/** Stops the player that feeds a file source. */
export function closeVideoFile(player) {
  player.pause();
  if (player.src) URL.revokeObjectURL(player.src);
  player.removeAttribute('src');
  player.load();
}
