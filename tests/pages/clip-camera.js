// The person clip as a camera, for a browser whose fake camera is not a person (Firefox
// shows a synthetic picture): the frames of tests/fixtures/build/person-640x480.y4m (the
// clip Chromium's fake camera plays: a real person before a blue wall, still then moving)
// are drawn on a canvas at the clip's 30 fps, looped, and the canvas's captureStream()
// is the camera track. captureStream() without a frame rate: each drawn frame is one
// frame of the track.

export const CLIP_URL = '/tests/fixtures/build/person-640x480.y4m';

/** Parses a YUV4MPEG2 file (4:2:0, as tests/fixtures/make_y4m.py writes it): `{width, height, frames}` (I420 views). */
function parseY4m(bytes) {
  const newline = (from) => {
    const at = bytes.indexOf(0x0a, from);
    if (at < 0) throw new Error(`clip camera: no line end after byte ${from}`);
    return at;
  };
  const headerEnd = newline(0);
  const header = new TextDecoder().decode(bytes.subarray(0, headerEnd));
  const field = (letter) => header.split(' ').find((f) => f.startsWith(letter))?.slice(1);
  if (!header.startsWith('YUV4MPEG2 ')) throw new Error(`clip camera: not a Y4M file: '${header.slice(0, 40)}'`);
  const width = Number(field('W'));
  const height = Number(field('H'));
  const colour = field('C') ?? '420jpeg';
  if (!(width > 0 && height > 0) || !colour.startsWith('420')) throw new Error(`clip camera: unsupported Y4M header '${header}'`);
  const frameSize = width * height * 1.5;
  const frames = [];
  let at = headerEnd + 1;
  while (at < bytes.length && frames.length < 10_000) {
    const lineEnd = newline(at);
    if (new TextDecoder().decode(bytes.subarray(at, at + 5)) !== 'FRAME') throw new Error(`clip camera: no FRAME at byte ${at}`);
    const start = lineEnd + 1;
    if (start + frameSize > bytes.length) throw new Error(`clip camera: frame ${frames.length} cut short`);
    frames.push(bytes.subarray(start, start + frameSize));
    at = start + frameSize;
  }
  if (frames.length === 0) throw new Error('clip camera: the clip has no frame');
  return { width, height, frames };
}

/** The clip's frames as ImageBitmaps (BT.601 limited range, as the clip was written). */
async function clipBitmaps(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`clip camera: ${url}: HTTP ${response.status}`);
  const { width, height, frames } = parseY4m(new Uint8Array(await response.arrayBuffer()));
  const colorSpace = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false };
  const bitmaps = [];
  for (const [i, planes] of frames.entries()) {
    const frame = new VideoFrame(planes, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: i * 33_333, colorSpace });
    try {
      bitmaps.push(await createImageBitmap(frame));
    } finally {
      frame.close();
    }
  }
  return { width, height, bitmaps };
}

/**
 * Starts the clip camera. Returns `{stream, track, canvas, bitmaps, drawn, stop()}`: `drawn`
 * counts the frames drawn so far (the track's delivered frames); `bitmaps` are the clip's
 * pictures (for single-frame tests).
 */
export async function clipCamera({ url = CLIP_URL, frameRate = 30 } = {}) {
  const { width, height, bitmaps } = await clipBitmaps(url);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const stream = canvas.captureStream();
  const camera = { stream, track: stream.getVideoTracks()[0], canvas, bitmaps, drawn: 0, stop: () => {} };
  const startedAt = performance.now();
  let shown = -1;
  const draw = () => {
    const index = Math.floor(((performance.now() - startedAt) * frameRate) / 1000);
    if (index === shown) return;
    shown = index;
    ctx.drawImage(bitmaps[index % bitmaps.length], 0, 0);
    camera.drawn++;
  };
  draw();
  // Twice per frame interval, so each of the clip's frames is drawn once, near its time.
  const timer = setInterval(draw, 1000 / frameRate / 2);
  camera.stop = () => {
    clearInterval(timer);
    camera.track.stop();
  };
  return camera;
}
