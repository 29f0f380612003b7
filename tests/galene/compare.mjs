// Backdrop's blur against Galene's own "Background blur" in the same real call, on Galene
// 1.1 (what Galene users run) or master: the receiver's frame rate with the sender's tab
// visible and hidden, the sender's CPU per frame on its page's main thread and in its
// workers, and the receiver's view of each (screenshots and side-by-side crops of the
// mask edge). Writes docs/galene-*.png, the table between the markers in
// galene-patch/README.md and the raw numbers in galene-patch/compare-results.json.
//
//   node tests/galene/compare.mjs [--tree 1.1|master] [--seconds N]
//
// Runs as root (network namespace), after bash scripts/build.sh; about 3 minutes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { REPO_ROOT } from '../lib/server.mjs';
import { namespaceSupport } from './netns.mjs';
import { GALENE_TREES } from './galene.mjs';
import { TASKS_VISION } from './galene-blur.mjs';
import { hideSender, latestStream, measure, openCall, setUpCalls, showSender, waitForView } from './call.mjs';

const { values } = parseArgs({ options: { tree: { type: 'string', default: '1.1' }, seconds: { type: 'string', default: '20' } } });
const tree = GALENE_TREES.find((t) => t.id === values.tree);
if (!tree) throw new Error(`--tree must be one of ${GALENE_TREES.map((t) => t.id).join(', ')}`);
const WINDOW_MS = Number(values.seconds) * 1000;
const DOCS = join(REPO_ROOT, 'docs');
const README = join(REPO_ROOT, 'galene-patch', 'README.md');
const support = namespaceSupport();
if (!support.ok) throw new Error(support.why);

/** The receiver's current frame as a PNG data URL (the video at its own size). */
function grabFrame(receiver) {
  return receiver.evaluate(() => {
    const video = [...document.querySelectorAll('#peers video')].find((v) => v.videoWidth > 0);
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    return canvas.toDataURL('image/png');
  });
}

/** Side-by-side crops of the same region of two frames, enlarged, as a PNG data URL. */
function sideBySide(page, left, right, [x, y, w, h], scale) {
  return page.evaluate(async ({ left, right, x, y, w, h, scale }) => {
    const load = (src) => new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = reject;
      image.src = src;
    });
    const images = [await load(left), await load(right)];
    const gap = 8;
    const canvas = document.createElement('canvas');
    canvas.width = 2 * w * scale + gap;
    canvas.height = h * scale;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    images.forEach((image, i) => ctx.drawImage(image, x, y, w, h, i * (w * scale + gap), 0, w * scale, h * scale));
    return canvas.toDataURL('image/png');
  }, { left, right, x, y, w, h, scale });
}

function savePng(name, dataUrl) {
  const path = join(DOCS, name);
  writeFileSync(path, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return path;
}

/** Backdrop's own numbers for the running filter, from the sender's page. */
function backdropStats(sender) {
  return sender.evaluate(() => {
    for (const id in serverConnection.up) {
      const filter = serverConnection.up[id].userdata.filter;
      const backdrop = filter && filter.userdata.backdrop;
      if (backdrop) return backdrop.stats();
    }
    return null;
  });
}

const FILTERS = [
  { name: 'backdrop-blur', label: "Backdrop's blur (this patch)", file: 'galene-backdrop-blur.png' },
  { name: 'background-blur', label: "Galene's own Background blur", file: 'galene-galene-blur.png' },
];

mkdirSync(DOCS, { recursive: true });
const loadStart = loadavg()[0];
const call = await setUpCalls({ trees: [tree], log: (line) => console.log(line) });
if (call.skip) throw new Error(call.skip);
const results = [];
let cropsSaved = [];
try {
  const server = call.servers[0];
  const s = await openCall(call, server);
  await waitForView(s.receiver, { after: 0, kind: 'raw', timeoutMs: 60_000 });
  await s.sender.click('#openside');

  // The remove mode, for the README's first picture.
  let mark = await latestStream(s.receiver);
  await s.sender.check('#backdropbox');
  if (!(await waitForView(s.receiver, { after: mark, kind: 'removed', timeoutMs: 60_000 }))) throw new Error('remove mode never reached the receiver');
  await new Promise((r) => setTimeout(r, 2_000));
  await s.receiver.locator('#peers').screenshot({ path: join(DOCS, 'galene-remove.png') });

  for (const filter of FILTERS) {
    mark = await latestStream(s.receiver);
    await s.sender.selectOption('#filterselect', filter.name);
    if (!(await waitForView(s.receiver, { after: mark, kind: 'blurred', timeoutMs: 90_000 }))) throw new Error(`${filter.label} never reached the receiver`);
    await new Promise((r) => setTimeout(r, 3_000));
    console.log(`${filter.label}: measuring ${WINDOW_MS / 1000} s visible`);
    const visible = await measure({ call, sender: s.sender, receiver: s.receiver, ms: WINDOW_MS });
    const stats = filter.name.startsWith('backdrop') ? await backdropStats(s.sender) : null;
    await s.receiver.locator('#peers').screenshot({ path: join(DOCS, filter.file) });
    const frame = await grabFrame(s.receiver);
    console.log(`${filter.label}: measuring ${WINDOW_MS / 1000} s hidden`);
    const other = await hideSender(call, s.sender);
    const hidden = await measure({ call, sender: s.sender, receiver: s.receiver, ms: WINDOW_MS });
    await showSender(s.sender, other);
    results.push({ ...filter, visible, hidden, stats, frame });
    console.log(`${filter.label}: ${visible.fps.toFixed(1)} fps visible, ${hidden.fps.toFixed(1)} fps hidden, ` +
      `main ${visible.cpuMsPerFrame.main?.toFixed(1)} ms, workers ${visible.cpuMsPerFrame.worker?.toFixed(1)} ms per frame`);
  }
  await s.sender.selectOption('#filterselect', '');

  // The hair and the shoulder against the wall: where a mask's edge shows.
  const crops = [
    { file: 'galene-edge-hair.png', region: [170, 10, 160, 120] },
    { file: 'galene-edge-shoulder.png', region: [60, 330, 160, 120] },
  ];
  for (const crop of crops) {
    try {
      savePng(crop.file, await sideBySide(s.receiver, results[0].frame, results[1].frame, crop.region, 2));
      crop.saved = true;
    } catch (err) {
      console.warn(`${crop.file}: the side-by-side crop failed (${err.message}); the table is written without it`);
    }
  }
  cropsSaved = crops.filter((c) => c.saved).map((c) => c.file);
} finally {
  await call.close();
}

const f1 = (n) => (n === null || n === undefined ? 'n/a' : n.toFixed(1));
const rows = results.map((r) => {
  const tier = r.stats ? ` (quality tier ${r.stats.quality.tier}, ${r.stats.quality.name})` : '';
  return `| ${r.label}${tier} | ${f1(r.visible.fps)} | ${f1(r.hidden.fps)} | ${f1(r.visible.cpuMsPerFrame.main)} | ${f1(r.visible.cpuMsPerFrame.worker)} | ${f1(r.visible.cpuMsPerFrame.other)} | ${f1(r.hidden.cpuMsPerFrame.main)} |`;
});
const [ours, theirs] = results;
const table = [
  `Measured on ${tree.label} by \`node tests/galene/compare.mjs --tree ${tree.id}\` (${new Date().toISOString().slice(0, 10)}), ` +
    `headless Chromium on this 2-core machine, sender, receiver and Galene on the same machine; the camera is Chromium's ` +
    `fake camera playing the 640×480, 30 fps clip of a person before a blue wall. Each window is ${WINDOW_MS / 1000} s; ` +
    '"hidden" is the sender\'s tab behind another tab (`document.visibilityState === \'hidden\'`). CPU is the sender ' +
    'renderer\'s thread time (`/proc`) per video frame the sender encoded: its main thread, its dedicated workers, and its other ' +
    'threads (compositor, media, WebRTC encoding). The machine\'s load average (1 min) was ' +
    `${loadStart.toFixed(1)} as the run began and ${loadavg()[0].toFixed(1)} as it ended (2 cores: above 2, other work shared them).`,
  '',
  '| filter | receiver fps, visible | receiver fps, hidden | sender main thread ms/frame | sender workers ms/frame | sender other threads ms/frame | main thread ms/frame, hidden |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  `Galene's blur is ${TASKS_VISION.name} ${TASKS_VISION.version} (the version galene-install.md names, from npm) with ` +
    '`selfie_segmenter.tflite` made from `@mediapipe/selfie_segmentation`\'s general model and the metadata tasks-vision needs ' +
    '(bench/tflite_metadata.py, as our benchmark prepares it): Galene\'s instructions download the model from a host this machine ' +
    'cannot reach. Hidden, Galene\'s filter gets one timer tick a second, so the receiver gets about one frame a second ' +
    `(${f1(theirs.hidden.fps)} fps); Backdrop's track is made by its worker from the camera's frames and keeps ${f1(ours.hidden.fps)} fps.`,
  '',
  '| Backdrop\'s blur | Galene\'s blur |',
  '| --- | --- |',
  '| ![Backdrop\'s blur, receiver\'s view](../docs/galene-backdrop-blur.png) | ![Galene\'s blur, receiver\'s view](../docs/galene-galene-blur.png) |',
  ...(cropsSaved.length ? [
    '',
    'The mask edge in the receiver\'s frames, enlarged 2×, Backdrop left, Galene right:',
    ...cropsSaved.flatMap((file) => ['', `![${file}: Backdrop left, Galene right](../docs/${file})`]),
  ] : []),
].join('\n');

const readme = readFileSync(README, 'utf8');
const begin = '<!-- compare.mjs: begin -->';
const end = '<!-- compare.mjs: end -->';
if (!readme.includes(begin) || !readme.includes(end)) throw new Error(`${README} has no ${begin} ... ${end} markers`);
writeFileSync(README, `${readme.slice(0, readme.indexOf(begin) + begin.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`);
writeFileSync(join(REPO_ROOT, 'galene-patch', 'compare-results.json'), `${JSON.stringify(results.map(({ frame, visible, hidden, ...r }) => ({
  ...r,
  visible: { ...visible, frames: visible.frames.length },
  hidden: { ...hidden, frames: hidden.frames.length },
})), null, 2)}\n`);
console.log(`wrote ${README} and docs/galene-*.png`);
