// galene-patch/backdrop-filters.js with the real Backdrop package, in Chromium with the
// fake camera, driven by a stand-in for Galene's filter runner (tests/galene/harness/host.js
// keeps its contract) and served under the package's strict Content-Security-Policy. It
// checks every frame the filter hands to the output track: solid from the very first one,
// the remove colour behind a person once the model runs, never a <video> drawn onto the
// output; and the "Remove background" checkbox, the filter menu and the settings agree.
// The same file in a real Galene call is tests/e2e/galene.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, recordProblems } from '../lib/browser.mjs';
import { REPO_ROOT, startServer } from '../lib/server.mjs';
import { PERSON_Y4M } from '../lib/fixtures.mjs';
import { isBlueWall, isPerson, isRemoveColor } from '../galene/frames.mjs';

const HARNESS = join(REPO_ROOT, 'tests', 'galene', 'harness');
// The built package (www/dist and www/pkg), or BACKDROP_PACKAGE=DIR holding dist/ and pkg/.
const PACKAGE = process.env.BACKDROP_PACKAGE ?? join(REPO_ROOT, 'www');
const PRIVACY_GREY = [0x20, 0x21, 0x24];

let root;
let server;
let browser;

/** A web root laid out as install.sh lays out Galene's static/ folder. */
function makeRoot() {
  const dir = mkdtempSync(join(tmpdir(), 'backdrop-harness-'));
  for (const file of ['index.html', 'harness.css', 'host.js', 'client.js']) symlinkSync(join(HARNESS, file), join(dir, file));
  symlinkSync(join(REPO_ROOT, 'galene-patch', 'backdrop-filters.js'), join(dir, 'backdrop-filters.js'));
  const assets = join(dir, 'third-party', 'backdrop');
  mkdirSync(join(assets, 'galene'), { recursive: true });
  symlinkSync(join(PACKAGE, 'dist'), join(assets, 'dist'));
  symlinkSync(join(PACKAGE, 'pkg'), join(assets, 'pkg'));
  symlinkSync(join(REPO_ROOT, 'galene-patch', 'background.png'), join(assets, 'galene', 'background.png'));
  return dir;
}

before(async () => {
  if (!existsSync(join(PACKAGE, 'dist', 'index.js'))) throw new Error(`${PACKAGE}/dist/index.js is missing: run bash scripts/build.sh`);
  root = makeRoot();
  server = await startServer({
    args: [join(REPO_ROOT, 'scripts', 'serve.mjs'), '--root', root, '--port', '0', '--index', '/index.html'],
  });
  browser = await launchChromium({ fakeCamera: PERSON_Y4M });
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function openHarness() {
  const page = await browser.newPage();
  const problems = recordProblems(page);
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  return { page, problems };
}

/** Waits (bounded) until some recorded frame satisfies `predicate`; returns the frames. */
async function waitForFrame(page, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let frames = [];
  for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
    frames = await page.evaluate(() => harness.frames);
    if (frames.some(predicate)) return frames;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`no such frame within ${timeoutMs} ms; ${frames.length} frames, last ${JSON.stringify(frames.slice(-2))}`);
}

const settings = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('settings') || '{}'));
const near = (a, b, tolerance) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) <= tolerance;

test('the three Backdrop filters and the checkbox appear when the package is installed', async () => {
  const { page, problems } = await openHarness();
  const options = await page.$$eval('#filterselect option', (list) => list.map((o) => o.value));
  assert.deepEqual(options, ['', 'backdrop-remove', 'backdrop-replace', 'backdrop-blur']);
  await page.waitForSelector('#backdropbox', { state: 'visible', timeout: 10_000 });
  assert.equal(await page.isChecked('#backdropbox'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('"Remove background" fails closed: solid from the first frame, then the remove colour behind the person', { timeout: 5 * 60_000 }, async () => {
  const { page, problems } = await openHarness();
  await page.waitForSelector('#backdropbox', { state: 'visible', timeout: 10_000 });
  await page.check('#backdropbox');
  assert.equal(await page.inputValue('#filterselect'), 'backdrop-remove');

  const frames = await waitForFrame(page, (f) => isRemoveColor(f.topLeft) && isPerson(f.centre), 90_000);
  // The first frame is solid: the remove colour everywhere, the person included.
  assert.ok(isRemoveColor(frames[0].centre), `first frame not solid: ${JSON.stringify(frames[0])}`);
  // Every frame, from the first, has the remove colour where the wall is.
  frames.forEach((f, i) => {
    assert.ok(near(f.topLeft, [0x00, 0xb1, 0x40], 30) && near(f.topRight, [0x00, 0xb1, 0x40], 30),
      `frame ${i} of ${frames.length} shows something other than the remove colour at the wall: ${JSON.stringify(f)}`);
    assert.ok(!isBlueWall(f.topLeft) && !isBlueWall(f.topRight), `frame ${i} shows the camera's wall`);
  });
  assert.equal(await page.evaluate(() => harness.videoDraws), 0, 'the camera <video> was drawn onto a canvas');
  assert.deepEqual(await settings(page), { filter: 'backdrop-remove', backdropFilter: 'backdrop-remove' });

  // Off: the filter stops and Backdrop is destroyed.
  await page.uncheck('#backdropbox');
  assert.equal(await page.inputValue('#filterselect'), '');
  await page.waitForFunction(() => harness.filter === null && harness.stopped.length === 1, null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => harness.stopped[0].userdata.backdrop), null);
  assert.equal((await settings(page)).filter, '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('replace and blur from the filter menu: the checkbox follows and remembers the last one', { timeout: 5 * 60_000 }, async () => {
  const { page, problems } = await openHarness();
  await page.waitForSelector('#backdropbox', { state: 'visible', timeout: 10_000 });

  await page.selectOption('#filterselect', 'backdrop-replace');
  assert.equal(await page.isChecked('#backdropbox'), true);
  // Our image (teal to indigo) instead of the wall, never the privacy grey once running.
  const frames = await waitForFrame(page, (f) => isPerson(f.centre) && !near(f.topLeft, PRIVACY_GREY, 20), 90_000);
  const last = frames.at(-1);
  for (const corner of [last.topLeft, last.topRight]) {
    assert.ok(!isBlueWall(corner) && !near(corner, PRIVACY_GREY, 20) && corner[2] < 200 && corner[1] > 60,
      `the wall is not replaced by the image: ${JSON.stringify(last)}`);
  }
  frames.forEach((f, i) => assert.ok(!isBlueWall(f.topLeft) && !isBlueWall(f.topRight), `frame ${i} shows the camera's wall`));

  // Off through the checkbox, on again: the last Backdrop filter comes back.
  await page.uncheck('#backdropbox');
  assert.equal(await page.inputValue('#filterselect'), '');
  await page.check('#backdropbox');
  assert.equal(await page.inputValue('#filterselect'), 'backdrop-replace');

  // Blur: the person stays, frames keep coming, the camera is never drawn directly.
  await page.selectOption('#filterselect', 'backdrop-blur');
  assert.equal(await page.isChecked('#backdropbox'), true);
  await waitForFrame(page, (f) => isPerson(f.centre) && !near(f.topLeft, PRIVACY_GREY, 20), 90_000);
  assert.equal(await page.evaluate(() => harness.videoDraws), 0, 'the camera <video> was drawn onto a canvas');
  assert.equal((await settings(page)).backdropFilter, 'backdrop-blur');

  // A filter that is not ours unticks the box.
  await page.selectOption('#filterselect', '');
  assert.equal(await page.isChecked('#backdropbox'), false);
  assert.deepEqual(problems, []);
  await page.close();
});
