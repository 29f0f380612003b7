// Installs the pinned Galene with `go install`, prepares a patched copy of its web client
// and runs the server inside the test's network namespace.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/server.mjs';

export const GALENE_MODULE = 'github.com/jech/galene';
/** Galene 1.1, as a Go pseudo-version (the module has no semver tags). */
export const GALENE_VERSION = 'v0.0.0-20260621160059-da062e782e78';
export const GALENE_PORT = 8443;
export const INSTALL_SCRIPT = join(REPO_ROOT, 'galene-patch', 'install.sh');

const run = promisify(execFile);

/** Raised when the Go module proxy will not serve Galene: a refusal, not a failure of ours. */
export class GaleneUnavailable extends Error {}

export function cacheDir() {
  const base = process.env.BACKDROP_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'backdrop');
  return join(base, 'galene', GALENE_VERSION);
}

/** The `go` command: on PATH, or where the official tarball puts it. */
export function findGo() {
  for (const candidate of ['go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore', timeout: 30_000 });
      return candidate;
    } catch { /* try the next one */ }
  }
  throw new Error('Go is missing: run bash scripts/setup.sh (it installs Go for the Galene test)');
}

/**
 * Builds Galene at the pinned version into the cache (once) and returns
 * `{binary, pristineStatic}`, the latter being the module's untouched static/ folder in
 * Go's module cache (read-only: copy it).
 */
export async function installGalene({ timeoutMs = 20 * 60_000 } = {}) {
  const go = findGo();
  const bin = join(cacheDir(), 'bin');
  const binary = join(bin, 'galene');
  const env = { ...process.env, GOBIN: bin, GOFLAGS: '-modcacherw', GOTOOLCHAIN: 'local' };
  if (!existsSync(binary)) {
    mkdirSync(bin, { recursive: true });
    try {
      await run(go, ['install', `${GALENE_MODULE}@${GALENE_VERSION}`], { env, timeout: timeoutMs, maxBuffer: 16 << 20 });
    } catch (err) {
      const output = `${err.stderr ?? ''}${err.stdout ?? ''}` || err.message;
      const refusal = /^.*(403 Forbidden|410 Gone|not available).*$/m.exec(output);
      if (refusal) {
        throw new GaleneUnavailable(`the Go module proxy refuses ${GALENE_MODULE}@${GALENE_VERSION} (${refusal[0].trim()})`);
      }
      throw new Error(`go install ${GALENE_MODULE}@${GALENE_VERSION} failed:\n${output.trim()}`);
    }
  }
  const { stdout } = await run(go, ['env', 'GOMODCACHE'], { env });
  const pristineStatic = join(stdout.trim(), `${GALENE_MODULE}@${GALENE_VERSION}`, 'static');
  if (!existsSync(join(pristineStatic, 'galene.html'))) {
    // The binary is cached but the module cache was cleaned: fetch the module again.
    await run(go, ['mod', 'download', `${GALENE_MODULE}@${GALENE_VERSION}`], { env, timeout: timeoutMs });
  }
  return { binary, pristineStatic };
}

function makeWritable(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    chmodSync(path, stat.mode | 0o200);
    if (stat.isDirectory()) makeWritable(path);
  }
}

/**
 * Makes the server's folders under `workDir`: a copy of the pristine static/ with the
 * patch installed by galene-patch/install.sh (whose output is returned), data/ and a group
 * `group` that anyone may join with any password and present in.
 */
export async function prepareServer(workDir, pristineStatic, group) {
  const staticDir = join(workDir, 'static');
  cpSync(pristineStatic, staticDir, { recursive: true });
  makeWritable(staticDir);
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
 * Starts Galene inside the namespace, plain HTTP on `address`, built-in TURN off, and
 * waits (bounded) until it serves the group page. Returns `{url, stop, output}`.
 */
export async function startGalene({ namespace, binary, workDir, staticDir, dataDir, groupsDir, address, group, timeoutMs = 30_000 }) {
  const child = spawn('ip', ['netns', 'exec', namespace.name, binary,
    '-insecure',
    '-http', `${address}:${GALENE_PORT}`,
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

  const url = `http://${address}:${GALENE_PORT}/group/${group}/`;
  // The test process is outside the namespace: probe from inside it.
  const probe = namespace.wrap(process.execPath);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 60 && Date.now() < deadline; attempt++) {
    if (exited !== null) break;
    try {
      const { stdout } = await run(probe, ['-e',
        `fetch(${JSON.stringify(url)}).then(r => console.log(r.status), () => console.log(0))`], { timeout: 5_000 });
      if (stdout.trim() === '200') return { url, stop, get output() { return output; } };
    } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error(`Galene did not serve ${url} within ${timeoutMs} ms (exit: ${exited}); output:\n${output}`);
}
