// Backdrop in a real Galene call: galene-patch/ installed into the pinned Galene's web
// client, Galene running in a private network namespace, two headless Chromium clients.
// The sender switches "Remove background" on through Galene's side menu; the receiver sees
// the remove colour behind the person; the sender switches it off and the receiver sees
// the camera's blue wall again, in the same call.
//
// Runs as root (it makes a network namespace). BACKDROP_SCREENSHOTS=1 writes the
// receiver's view to docs/galene-receiver.png (else to a temporary folder, printed).
// When the Go module proxy refuses to serve Galene, the tests that need it are skipped
// with the proxy's answer, unless BACKDROP_REQUIRE_GALENE=1.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/server.mjs';
import { PERSON_Y4M } from '../lib/fixtures.mjs';
import { createNamespace, namespaceSupport, SERVER_ADDRESS } from '../galene/netns.mjs';
import {
  GaleneUnavailable, INSTALL_SCRIPT, installGalene, prepareServer, startGalene,
} from '../galene/galene.mjs';
import {
  sampleRemoteVideo, showsCameraBackground, showsRemovedBackground, waitForSample,
} from '../galene/frames.mjs';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'www', 'node_modules', '.bin', 'tsc');
const GROUP = 'backdrop-test';
const PACKAGE_ENTRY = join(REPO_ROOT, 'www', 'dist', 'index.js');

/** What the Galene tests share; `skip` says why they cannot run here, if so. */
const galene = { skip: null, workDir: null, namespace: null, server: null, staticDir: null, installOutput: '' };

function cleanUp() {
  galene.server?.stop();
  galene.namespace?.destroy();
  if (galene.workDir) rmSync(galene.workDir, { recursive: true, force: true });
  galene.workDir = null;
}
// Clean up even when the run is interrupted.
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { cleanUp(); process.exit(130); });

let setUp = null;
/** Installs and starts Galene once, for the tests that need it. */
function setUpGalene() {
  setUp ??= (async () => {
    const support = namespaceSupport();
    if (!support.ok) {
      galene.skip = support.why;
      return;
    }
    let installed;
    try {
      installed = await installGalene();
    } catch (err) {
      if (err instanceof GaleneUnavailable && process.env.BACKDROP_REQUIRE_GALENE !== '1') {
        galene.skip = `Galene cannot be installed here: ${err.message}`;
        return;
      }
      throw err;
    }
    if (!existsSync(PACKAGE_ENTRY)) throw new Error(`${PACKAGE_ENTRY} is missing: run bash scripts/build.sh`);
    galene.workDir = mkdtempSync(join(tmpdir(), 'backdrop-galene-'));
    const prepared = await prepareServer(galene.workDir, installed.pristineStatic, GROUP);
    galene.staticDir = prepared.staticDir;
    galene.installOutput = prepared.installOutput;
    galene.namespace = createNamespace(`backdrop-galene-${process.pid}`);
    galene.server = await startGalene({
      namespace: galene.namespace,
      binary: installed.binary,
      workDir: galene.workDir,
      ...prepared,
      address: SERVER_ADDRESS,
      group: GROUP,
    });
  })();
  return setUp;
}

after(cleanUp);

test('backdrop-filters.js passes tsc with Galene\'s compiler options against its filter API', async () => {
  const { stdout } = await run(TSC, ['-p', join(REPO_ROOT, 'tests', 'galene', 'tsconfig.json')], { timeout: 120_000 })
    .catch((err) => assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`));
  assert.equal(stdout.trim(), '');
});

test('install.sh refuses a static/ folder it was not made for and changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'backdrop-galene-other-'));
  try {
    const html = '<!DOCTYPE html>\n<title>Some other Galene</title>\n<script src="/galene.js" defer></script>\n';
    writeFileSync(join(dir, 'galene.html'), html);
    writeFileSync(join(dir, 'filter.js'), "'use strict';\n");
    writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
    const result = await run('bash', [INSTALL_SCRIPT, dir]).then(() => null, (err) => err);
    assert.ok(result, 'install.sh accepted a folder it was not made for');
    assert.match(result.stderr, /galene\.html is not the file this patch was made for .*jech\/galene@v0\.0\.0-20260621160059-da062e782e78/);
    assert.equal(readFileSync(join(dir, 'galene.html'), 'utf8'), html);
    assert.ok(!existsSync(join(dir, 'third-party')), 'assets were copied before the check');
    assert.ok(!existsSync(join(dir, 'backdrop-filters.js')), 'backdrop-filters.js was copied before the check');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('install.sh patches the pinned Galene, and running it again is harmless', { timeout: 30 * 60_000 }, async (t) => {
  await setUpGalene();
  if (galene.skip) return t.skip(galene.skip);
  assert.match(galene.installOutput, /patched /);
  const html = readFileSync(join(galene.staticDir, 'galene.html'), 'utf8');
  assert.match(html, /<script src="\/backdrop-filters\.js" defer><\/script>/);
  assert.match(html, /id="backdropbox"/);
  assert.ok(existsSync(join(galene.staticDir, 'third-party', 'backdrop', 'dist', 'index.js')));
  assert.ok(existsSync(join(galene.staticDir, 'third-party', 'backdrop', 'galene', 'background.png')));
  const again = await run('bash', [INSTALL_SCRIPT, galene.staticDir], { timeout: 120_000 });
  assert.match(again.stderr, /already patched/);
  assert.equal(readFileSync(join(galene.staticDir, 'galene.html'), 'utf8'), html);
});

test('Galene\'s own type check (tsc -p static/tsconfig.json) passes with the patch', { timeout: 30 * 60_000 }, async (t) => {
  await setUpGalene();
  if (galene.skip) return t.skip(galene.skip);
  const tsconfig = JSON.parse(readFileSync(join(galene.staticDir, 'tsconfig.json'), 'utf8'));
  assert.ok(tsconfig.files.includes('backdrop-filters.js'), 'the patch did not add our file to tsconfig.json');
  await run(TSC, ['-p', join(galene.staticDir, 'tsconfig.json'), '--noEmit'], { timeout: 300_000 })
    .catch((err) => assert.fail(`Galene's tsc failed:\n${err.stdout}${err.stderr}`));
});

test('a Galene call: "Remove background" on sends the remove colour behind the person, off sends the camera again', { timeout: 40 * 60_000 }, async (t) => {
  await setUpGalene();
  if (galene.skip) return t.skip(galene.skip);
  // Chromium runs inside the namespace through a wrapper; browser.mjs reads the path at import.
  process.env.BACKDROP_CHROMIUM = galene.namespace.wrap(process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium');
  const { launchChromium, recordProblems } = await import('../lib/browser.mjs');
  const origin = `http://${SERVER_ADDRESS}:8443`;
  const extraArgs = [
    // WebRTC needs real addresses in the candidates, and the camera a secure context.
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    `--unsafely-treat-insecure-origin-as-secure=${origin}`,
  ];
  const senderBrowser = await launchChromium({ fakeCamera: PERSON_Y4M, extraArgs });
  t.after(() => senderBrowser.close());
  const receiverBrowser = await launchChromium({ fakeCamera: PERSON_Y4M, extraArgs });
  t.after(() => receiverBrowser.close());
  const sender = await senderBrowser.newPage();
  const receiver = await receiverBrowser.newPage({ viewport: { width: 1280, height: 720 } });
  const senderProblems = recordProblems(sender);
  const receiverProblems = recordProblems(receiver);
  const context = () => `\nsender: ${senderProblems.join('\n')}\nreceiver: ${receiverProblems.join('\n')}\ngalene: ${galene.server.output}`;

  async function join(page, name, present) {
    await page.goto(galene.server.url);
    await page.waitForSelector('#username', { state: 'visible', timeout: 30_000 });
    await page.fill('#username', name);
    await page.fill('#password', 'anything');
    await page.check(present ? '#presentboth' : '#presentoff');
    await page.click('#connectbutton');
    await page.waitForSelector('#profile:not(.invisible)', { timeout: 30_000 });
  }
  await join(sender, 'sender', true);
  await join(receiver, 'receiver', false);

  // Filter off: the receiver gets the camera, blue wall and all.
  let seen = await waitForSample(receiver, showsCameraBackground, { timeoutMs: 60_000 });
  assert.ok(seen.sample, `the receiver never showed the camera's background; last samples ${JSON.stringify(seen.history.slice(-3))}${context()}`);

  // The side menu's checkbox appears once the patch has found Backdrop's assets.
  await sender.click('#openside');
  await sender.waitForSelector('#backdropbox', { state: 'visible', timeout: 15_000 });
  assert.equal(await sender.isChecked('#backdropbox'), false);
  await sender.check('#backdropbox');
  assert.equal(await sender.inputValue('#filterselect'), 'backdrop-remove');

  // On: the remove colour behind a person who is still there (the model loads in a worker).
  seen = await waitForSample(receiver, showsRemovedBackground, { timeoutMs: 120_000 });
  assert.ok(seen.sample, `the receiver never showed the removed background; last samples ${JSON.stringify(seen.history.slice(-3))}${context()}`);
  // Fail closed while it runs: over the next seconds no frame shows the wall.
  for (let i = 0; i < 20; i++) {
    const sample = await sampleRemoteVideo(receiver);
    assert.ok(!showsCameraBackground(sample), `the camera's background came through with the filter on: ${JSON.stringify(sample)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const shot = process.env.BACKDROP_SCREENSHOTS === '1'
    ? join(REPO_ROOT, 'docs', 'galene-receiver.png')
    : join(mkdtempSync(join(tmpdir(), 'backdrop-shots-')), 'galene-receiver.png');
  mkdirSync(join(shot, '..'), { recursive: true });
  await receiver.screenshot({ path: shot });
  t.diagnostic(`receiver screenshot: ${shot}`);

  // The choice is in Galene's settings, like its other options.
  const settings = await sender.evaluate(() => JSON.parse(sessionStorage.getItem('settings')));
  assert.equal(settings.filter, 'backdrop-remove');

  // Off again, in the same call: the camera comes back.
  await sender.uncheck('#backdropbox');
  assert.equal(await sender.inputValue('#filterselect'), '');
  seen = await waitForSample(receiver, showsCameraBackground, { timeoutMs: 60_000 });
  assert.ok(seen.sample, `the camera's background did not come back; last samples ${JSON.stringify(seen.history.slice(-3))}${context()}`);

  // Neither client left the call.
  for (const page of [sender, receiver]) {
    assert.equal(await page.isVisible('#profile'), true, `a client was disconnected${context()}`);
  }
  assert.match(await receiver.textContent('#users'), /sender/);
});
