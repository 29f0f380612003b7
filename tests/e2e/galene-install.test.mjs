// galene-patch/install.sh on the Galene versions it supports (1.1 and master 9e03b36, from
// ../shared/vendor/galene/ or the Go module proxy): installed twice and uninstalled, every
// file of static/ is byte for byte Galene's own again; Galene's own type check passes on
// each patched tree; any other tree is refused before anything changes, saying which file
// differs and which versions are supported. No browser: the package installed is a
// stand-in (install.sh only copies it); the real one runs in tests/e2e/galene.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/server.mjs';
import { extractStatic, GALENE_TREES, galeneRequired, GaleneUnavailable, INSTALL_SCRIPT } from '../galene/galene.mjs';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'www', 'node_modules', '.bin', 'tsc');

let work;
/** A minimal package folder, as install.sh expects one (dist/, pkg/*.wasm, pkg/models/). */
let standIn;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'backdrop-galene-install-'));
  standIn = join(work, 'package');
  mkdirSync(join(standIn, 'dist'), { recursive: true });
  mkdirSync(join(standIn, 'pkg', 'models'), { recursive: true });
  writeFileSync(join(standIn, 'dist', 'index.js'), 'export function createBackdrop() {}\n');
  writeFileSync(join(standIn, 'pkg', 'backdrop_simd_bg.wasm'), '\0asm');
  writeFileSync(join(standIn, 'pkg', 'models', 'selfie_general.onnx'), 'model');
});
after(() => rmSync(work, { recursive: true, force: true }));

function installSh(...args) {
  return run('bash', [INSTALL_SCRIPT, ...args], { env: { ...process.env, BACKDROP_PACKAGE: standIn }, timeout: 120_000 })
    .then(({ stderr }) => ({ ok: true, stderr }), (err) => ({ ok: false, stderr: err.stderr }));
}

/** sha256 of every file under `dir`, by relative path. */
function hashes(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A fresh pristine static/ of `tree`, or null (with the reason) when Galene cannot be had. */
async function pristine(t, tree, name) {
  try {
    return await extractStatic(tree, join(work, name));
  } catch (err) {
    if (err instanceof GaleneUnavailable && !galeneRequired()) {
      t.skip(err.message);
      return null;
    }
    throw err;
  }
}

test('backdrop-filters.js passes tsc with Galene\'s compiler options against its declared API', async () => {
  await run(TSC, ['-p', join(REPO_ROOT, 'tests', 'galene', 'tsconfig.json')], { timeout: 120_000 })
    .catch((err) => assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`));
});

for (const tree of GALENE_TREES) {
  test(`${tree.label}: install.sh twice then --uninstall gives Galene's files back byte for byte; Galene's tsc passes when patched`, { timeout: 5 * 60_000 }, async (t) => {
    const dir = await pristine(t, tree, `${tree.id}-roundtrip`);
    if (!dir) return;
    const original = hashes(dir);

    const first = await installSh(dir);
    assert.ok(first.ok, first.stderr);
    assert.ok(first.stderr.includes(`: ${tree.label} (`), first.stderr);
    const html = readFileSync(join(dir, 'galene.html'), 'utf8');
    assert.match(html, /<script src="\/galene\.js" defer><\/script>\n\s*<script src="\/backdrop-filters\.js" defer><\/script>/);
    assert.match(html, /id="backdropbox"/);
    assert.ok(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).files.includes('backdrop-filters.js'));
    for (const file of ['backdrop-filters.js', 'third-party/backdrop/dist/index.js', 'third-party/backdrop/galene/background.png']) {
      assert.ok(existsSync(join(dir, file)), `${file} was not installed`);
    }
    const patched = hashes(dir);

    const again = await installSh(dir);
    assert.ok(again.ok, again.stderr);
    assert.match(again.stderr, /already patched/);
    assert.deepEqual(hashes(dir), patched, 'a second install changed the tree');

    await run(TSC, ['-p', join(dir, 'tsconfig.json'), '--noEmit'], { timeout: 300_000 })
      .catch((err) => assert.fail(`Galene's tsc failed on the patched tree:\n${err.stdout}${err.stderr}`));

    const removed = await installSh('--uninstall', dir);
    assert.ok(removed.ok, removed.stderr);
    assert.match(removed.stderr, /uninstalled/);
    assert.deepEqual(hashes(dir), original, 'uninstall did not restore Galene\'s files exactly');
  });
}

test('install.sh refuses a tree it was not made for, says which file differs and which versions it supports, and changes nothing', { timeout: 5 * 60_000 }, async (t) => {
  const [release, master] = GALENE_TREES;
  const dir = await pristine(t, release, 'modified');
  if (!dir) return;
  // A locally changed galene.js: the filters' code could differ.
  appendFileSync(join(dir, 'galene.js'), '\n// a local change\n');
  const before = hashes(dir);
  const result = await installSh(dir);
  assert.equal(result.ok, false, 'install.sh accepted a modified galene.js');
  assert.match(result.stderr, /not Galene 1\.1 [^\n]*: galene\.js differs \(sha256 [0-9a-f]{64}\)/);
  assert.match(result.stderr, /not Galene master 9e03b36 [^\n]*galene\.html differs/);
  assert.match(result.stderr, /Supported, unmodified: Galene 1\.1 .*; Galene master 9e03b36 /);
  assert.deepEqual(hashes(dir), before, 'install.sh changed a tree it refused');
  const uninstall = await installSh('--uninstall', dir);
  assert.equal(uninstall.ok, false);
  assert.deepEqual(hashes(dir), before, '--uninstall changed a tree it refused');

  // Some other web client altogether.
  const other = join(work, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'galene.html'), '<!DOCTYPE html>\n<title>Some other Galene</title>\n');
  const refused = await installSh(other);
  assert.equal(refused.ok, false);
  assert.match(refused.stderr, /galene\.html differs.*tsconfig\.json is missing/);
  assert.deepEqual(readdirSync(other), ['galene.html']);

  // Half of a patch: galene.html patched, tsconfig.json not.
  const half = await pristine(t, master, 'half');
  const patchedCopy = await pristine(t, master, 'half-patched');
  assert.ok((await installSh(patchedCopy)).ok);
  writeFileSync(join(half, 'galene.html'), readFileSync(join(patchedCopy, 'galene.html')));
  const partly = await installSh(half);
  assert.equal(partly.ok, false);
  assert.match(partly.stderr, /partly patched: galene\.html tsconfig\.json are patched original/);
  assert.ok(!existsSync(join(half, 'backdrop-filters.js')));
});
