// The page of the packaging test: the package from its npm tarball, used the way its
// README says, on a fake camera. Every entry point (bundled-main.js, built by Vite and by
// webpack with their default settings, or plain-main.js, loaded as a module without a
// bundler) calls run() with the package's exports.

/** @param {{createBackdrop: Function}} backdropModule */
export async function run({ createBackdrop }) {
  const status = document.getElementById('status');
  try {
    const camera = await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 480 },
      audio: true,
    });
    const backdrop = await createBackdrop({ mode: 'remove', color: '#ff00ff' });
    const states = [];
    backdrop.addEventListener('statechange', (e) => states.push(e.detail.state));
    const processed = backdrop.process(camera);
    const video = document.getElementById('processed');
    video.srcObject = processed;
    await video.play();
    await backdrop.ready;
    window.backdropTest = {
      backdrop,
      states,
      audioTracks: processed.getAudioTracks().length,
      cameraAudioTracks: camera.getAudioTracks().length,
    };
    status.textContent = 'ready';
  } catch (err) {
    status.textContent = `error: ${err.message}`;
  }
  document.body.dataset.ready = 'true';
}
