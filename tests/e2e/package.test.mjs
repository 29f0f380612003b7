// The npm package as a user gets it: `npm pack` → installed from the tarball into a fresh
// project → bundled with Vite and with webpack 5, each with its default settings (only the
// entry and the output folder are named: tests/packaging/*.config.js), and separately
// loaded as a plain module without a bundler.
// On a fake camera (a real person before a blue wall) the processed stream must show the
// removal colour in background regions, keep the person, and carry the audio track.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import webpack from 'webpack';
import { launchChromium, recordProblems } from '../lib/browser.mjs';
import { REPO_ROOT, startServer } from '../lib/server.mjs';
import { PERSON_Y4M } from '../lib/fixtures.mjs';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';

const MAGENTA = [255, 0, 255];
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let project;
let browser;
before(async () => {
  project = mkdtempSync(join(tmpdir(), 'backdrop-package-'));
  const tarball = npm(['pack', '--silent', '--pack-destination', project], join(REPO_ROOT, 'www')).trim().split('\n').pop();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'backdrop-user', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--offline', join(project, tarball)], project);
  for (const file of readdirSync(resolve(REPO_ROOT, 'tests', 'packaging'))) {
    cpSync(resolve(REPO_ROOT, 'tests', 'packaging', file), join(project, file));
  }
  execFileSync(resolve(REPO_ROOT, 'tests', 'node_modules', '.bin', 'vite'), ['build'], { cwd: project, stdio: 'pipe' });
  await buildWithWebpack(project);
  browser = await launchChromium({ fakeCamera: PERSON_Y4M });
});
after(async () => {
  await browser?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** webpack 5 on the project's webpack.config.js (its defaults); the page beside the bundle. */
async function buildWithWebpack(dir) {
  const { default: config } = await import(pathToFileURL(join(dir, 'webpack.config.js')).href);
  const stats = await new Promise((resolveBuild, reject) => {
    webpack({ ...config, context: dir }, (err, result) => (err ? reject(err) : resolveBuild(result)));
  });
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors()) throw new Error(`webpack: ${info.errors.map((e) => e.message).join('\n')}`);
  if (info.warnings.length) console.log(`# webpack warnings: ${info.warnings.map((w) => w.message.split('\n')[0]).join('; ')}`);
  cpSync(join(dir, 'webpack.html'), join(config.output.path, 'webpack.html'));
}

async function checkProcessedStream(root, pagePath) {
  const server = await startServer({ args: [resolve(REPO_ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--root', root, '--index', pagePath] });
  try {
    const page = await browser.newPage();
    const problems = recordProblems(page);
    const origins = new Set();
    page.on('request', (req) => origins.add(new URL(req.url()).origin));
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    assert.equal(await page.textContent('#status'), 'ready', problems.join('\n'));

    // Privacy frames (while the model loads) are the removal colour everywhere, so wait
    // for processed frames: background regions coloured and the person kept.
    const frame = await eventually(async () => {
      const running = await page.evaluate(() => window.backdropTest.backdrop.stats().framesProcessed > 3);
      const left = await sampleVideo(page, '#processed', REGIONS.backgroundTopLeft, MAGENTA);
      const right = await sampleVideo(page, '#processed', REGIONS.backgroundTopRight, MAGENTA);
      const person = await sampleVideo(page, '#processed', REGIONS.person, MAGENTA);
      const ok = running && left?.fraction > 0.95 && right?.fraction > 0.95 && person?.fraction < 0.05;
      return { ok, left, right, person };
    }, { what: 'processed frames: background regions the removal colour, the person kept', timeoutMs: 40_000 });
    assert.deepEqual(frame.left.size, [640, 480]);
    const [r, , b] = frame.person.mean;
    assert.ok(r > b, `the face is skin-coloured, not the blue wall: mean ${frame.person.mean}`);

    const info = await page.evaluate(() => ({
      audio: window.backdropTest.audioTracks,
      cameraAudio: window.backdropTest.cameraAudioTracks,
      stats: window.backdropTest.backdrop.stats(),
    }));
    assert.equal(info.cameraAudio, 1);
    assert.equal(info.audio, 1, 'the audio track is passed through');
    assert.equal(info.stats.state, 'running');
    assert.equal(info.stats.build, 'simd');
    assert.ok(info.stats.framesProcessed > 0);
    assert.deepEqual([...origins], [new URL(server.url).origin], 'no request to any other origin');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    server.stop();
  }
}

test('bundled with Vite: background replaced, person kept, audio present', async () => {
  await checkProcessedStream(join(project, 'dist'), '/vite.html');
});

test('bundled with webpack 5: the same', async () => {
  await checkProcessedStream(join(project, 'webpack-dist'), '/webpack.html');
});

test('plain <script type="module"> without a bundler: the same', async () => {
  await checkProcessedStream(project, '/plain.html');
});
