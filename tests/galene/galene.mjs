// Galene for the tests: the two versions galene-patch/ supports, built from the upstream
// sources in ../shared/vendor/galene/ when that folder exists (the binary cached by the
// tarball's sha256), else with `go install` of the same commits from the Go module proxy;
// a patched copy of a version's web client; Galene running inside the test's network
// namespace.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/server.mjs';

export const GALENE_MODULE = 'github.com/jech/galene';
export const INSTALL_SCRIPT = join(REPO_ROOT, 'galene-patch', 'install.sh');
/** Upstream sources as `git archive` tarballs (see that folder's README.md). */
export const VENDOR_DIR = process.env.BACKDROP_GALENE_VENDOR ?? resolve(REPO_ROOT, '..', 'shared', 'vendor', 'galene');

/**
 * The versions galene-patch/ supports: the one a tarball holds (checked by its sha256) and
 * the same commit as a Go pseudo-version for `go install`.
 */
export const GALENE_TREES = [
  {
    id: '1.1',
    label: 'Galene 1.1',
    tarball: 'galene-1.1.tar.gz',
    folder: 'galene-1.1',
    sha256: '85e6b1e5f313afe4f1aedb59bac49d5b52a92c8c19e95d1b72268bd8fec5ce14',
    version: 'v0.0.0-20260621160059-da062e782e78',
  },
  {
    id: 'master',
    label: 'Galene master 9e03b36',
    tarball: 'galene-9e03b36.tar.gz',
    folder: 'galene-9e03b36',
    sha256: '1ac622e5f2eadad99fba43c431827a79e8c61338c30ea40ca12519e93edf97a0',
    version: 'v0.0.0-20260728135224-9e03b36ba93f',
  },
];

const run = promisify(execFile);

/** Raised when Galene cannot be had here (no vendor folder and the module proxy refuses). */
export class GaleneUnavailable extends Error {}

export function vendorAvailable() {
  return existsSync(VENDOR_DIR);
}

/** BACKDROP_REQUIRE_GALENE, defaulting to 1 where the vendor folder is there. */
export function galeneRequired() {
  return (process.env.BACKDROP_REQUIRE_GALENE ?? (vendorAvailable() ? '1' : '0')) === '1';
}

export function cacheRoot() {
  const base = process.env.BACKDROP_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'backdrop');
  return join(base, 'galene');
}

/** The `go` command: on PATH, or where the official tarball puts it. */
export function findGo() {
  for (const candidate of ['go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore', timeout: 30_000 });
      return candidate;
    } catch { /* try the next one */ }
  }
  throw new Error('Go is missing: run bash scripts/setup.sh (it installs Go for the Galene tests)');
}

function goEnv(extra = {}) {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-modcacherw', GOTOOLCHAIN: 'local', ...extra };
}

function sha256File(path) {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

function goFailure(what, err) {
  const output = `${err.stderr ?? ''}${err.stdout ?? ''}` || err.message;
  return new Error(`${what} failed:\n${output.trim()}`);
}

function checkTarball(tree) {
  const tarball = join(VENDOR_DIR, tree.tarball);
  if (!existsSync(tarball)) throw new Error(`${tarball} is missing (the vendor folder ${VENDOR_DIR} exists)`);
  return sha256File(tarball).then((sha) => {
    if (sha !== tree.sha256) throw new Error(`${tarball} has sha256 ${sha}, not the ${tree.label} sources (${tree.sha256})`);
    return tarball;
  });
}

/**
 * Puts an untouched copy of `tree`'s static/ folder under `dest` and returns its path:
 * from the vendor tarball when VENDOR_DIR exists, else from Go's module cache.
 */
export async function extractStatic(tree, dest, { timeoutMs = 10 * 60_000 } = {}) {
  const copy = join(dest, tree.folder, 'static');
  mkdirSync(dest, { recursive: true });
  if (vendorAvailable()) {
    await run('tar', ['-xzf', await checkTarball(tree), '-C', dest, `${tree.folder}/static`], { timeout: 60_000 });
    return copy;
  }
  const module = `${GALENE_MODULE}@${tree.version}`;
  let dir;
  try {
    const { stdout } = await run(findGo(), ['mod', 'download', '-json', module], { env: goEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 });
    dir = JSON.parse(stdout).Dir;
  } catch (err) {
    const output = `${err.stderr ?? ''}${err.stdout ?? ''}` || err.message;
    const refusal = /^.*(403 Forbidden|410 Gone|not available).*$/m.exec(output);
    if (refusal) throw new GaleneUnavailable(`the Go module proxy refuses ${module} (${refusal[0].trim()}) and ${VENDOR_DIR} does not exist`);
    throw goFailure(`go mod download ${module}`, err);
  }
  mkdirSync(join(dest, tree.folder), { recursive: true });
  await run('cp', ['-R', join(dir, 'static'), copy]);
  await run('chmod', ['-R', 'u+w', copy]);
  return copy;
}

async function buildFromTarball(tree, timeoutMs) {
  const tarball = await checkTarball(tree);
  const dir = join(cacheRoot(), tree.sha256);
  const binary = join(dir, 'galene');
  if (!existsSync(binary)) {
    const go = findGo();
    mkdirSync(dir, { recursive: true });
    const src = mkdtempSync(join(dir, 'src-'));
    try {
      await run('tar', ['-xzf', tarball, '-C', src], { timeout: 120_000 });
      const partial = join(dir, `galene.${process.pid}`);
      await run(go, ['build', '-o', partial, '.'], { cwd: join(src, tree.folder), env: goEnv(), timeout: timeoutMs, maxBuffer: 16 << 20 })
        .catch((err) => { throw goFailure(`go build of ${tree.label} (${tarball})`, err); });
      renameSync(partial, binary); // atomic: a concurrent build only wastes time
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  }
  return { binary, source: `built from ${tree.tarball} (sha256 ${tree.sha256.slice(0, 12)}…), cached in ${dir}` };
}

async function goInstall(tree, timeoutMs) {
  const go = findGo();
  const bin = join(cacheRoot(), tree.version, 'bin');
  const binary = join(bin, 'galene');
  const module = `${GALENE_MODULE}@${tree.version}`;
  if (!existsSync(binary)) {
    mkdirSync(bin, { recursive: true });
    try {
      await run(go, ['install', module], { env: goEnv({ GOBIN: bin }), timeout: timeoutMs, maxBuffer: 16 << 20 });
    } catch (err) {
      const output = `${err.stderr ?? ''}${err.stdout ?? ''}` || err.message;
      const refusal = /^.*(403 Forbidden|410 Gone|not available).*$/m.exec(output);
      if (refusal) throw new GaleneUnavailable(`the Go module proxy refuses ${module} (${refusal[0].trim()}) and ${VENDOR_DIR} does not exist`);
      throw goFailure(`go install ${module}`, err);
    }
  }
  return { binary, source: `go install ${module}` };
}

/**
 * Makes `tree`'s Galene binary available: `{tree, binary, source}`. Built from the vendor
 * tarball when VENDOR_DIR exists, else by `go install`.
 */
export async function installGalene(tree, { timeoutMs = 20 * 60_000 } = {}) {
  const built = vendorAvailable() ? await buildFromTarball(tree, timeoutMs) : await goInstall(tree, timeoutMs);
  return { tree, ...built };
}

/**
 * Makes the server's folders under `workDir`: a pristine copy of the version's static/
 * with the patch installed by galene-patch/install.sh (whose output is returned), data/
 * and a group `group` that anyone may join with any password and present in.
 */
export async function prepareServer(workDir, galene, group) {
  const staticDir = await extractStatic(galene.tree, join(workDir, 'src'));
  const { stdout, stderr } = await run('bash', [INSTALL_SCRIPT, staticDir], { timeout: 120_000 });
  const dataDir = join(workDir, 'data');
  const groupsDir = join(workDir, 'groups');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(groupsDir, { recursive: true });
  // No administrators, no API, nothing but what the test needs.
  writeFileSync(join(dataDir, 'config.json'), `${JSON.stringify({ writableGroups: false }, null, 4)}\n`);
  writeFileSync(join(groupsDir, `${group}.json`), `${JSON.stringify({
    displayName: 'Backdrop test',
    'allow-anonymous': true,
    'wildcard-user': { password: { type: 'wildcard' }, permissions: 'present' },
  }, null, 4)}\n`);
  return { staticDir, dataDir, groupsDir, installOutput: `${stdout}${stderr}` };
}

/**
 * Starts Galene inside the namespace, plain HTTP on `address:port`, built-in TURN off,
 * and waits (bounded) until it serves the group page. Returns `{url, origin, stop, output}`.
 */
export async function startGalene({ namespace, binary, workDir, staticDir, dataDir, groupsDir, address, port, group, timeoutMs = 30_000 }) {
  const child = spawn('ip', ['netns', 'exec', namespace.name, binary,
    '-insecure',
    '-http', `${address}:${port}`,
    '-turn', '',
    '-static', staticDir,
    '-data', dataDir,
    '-groups', groupsDir,
  ], { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  let exited = null;
  child.on('exit', (code, signal) => { exited = signal ?? code; });
  const stop = () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  };

  const origin = `http://${address}:${port}`;
  const url = `${origin}/group/${group}/`;
  // The test process is outside the namespace: probe from inside it.
  const probe = namespace.wrap(process.execPath);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 60 && Date.now() < deadline; attempt++) {
    if (exited !== null) break;
    try {
      const { stdout } = await run(probe, ['-e',
        `fetch(${JSON.stringify(url)}).then(r => console.log(r.status), () => console.log(0))`], { timeout: 5_000 });
      if (stdout.trim() === '200') return { url, origin, stop, get output() { return output; } };
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`Galene did not serve ${url} within ${timeoutMs} ms (exit: ${exited}); output:\n${output}`);
}
