// Galene's own "Background blur" filter, installed as galene-install.md documents it:
// MediaPipe's tasks-vision npm package unpacked into static/third-party/tasks-vision/ and
// the selfie segmentation model as third-party/tasks-vision/models/selfie_segmenter.tflite.
//
// The package comes from the npm registry with `npm pack` (the version Galene's
// instructions name), checked against the registry's integrity hash and cached. The
// model Galene's instructions download (selfie_segmenter.tflite, float16) comes from a
// host this machine cannot reach; we use the same network as it is published on npm:
// @mediapipe/selfie_segmentation's selfie_segmentation.tflite (the general 256×256 model,
// models/ installs it), with the input-normalisation metadata tasks-vision needs added by
// bench/tflite_metadata.py, exactly as our benchmark prepares it (scripts/bench.sh).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../lib/server.mjs';
import { cacheRoot } from './galene.mjs';

const run = promisify(execFile);

export const TASKS_VISION = {
  name: '@mediapipe/tasks-vision',
  version: '0.10.21',
  integrity: 'sha512-TuhKH+credq4zLksGbYrnvJ1aLIWMc5r0UHwzxzql4BHECJwIAoBR61ZrqwGOW6ZmSBIzU1t4VtKj8hbxFaKeA==',
};
export const SELFIE_TFLITE = join(REPO_ROOT, 'models', 'node_modules', '@mediapipe', 'selfie_segmentation', 'selfie_segmentation.tflite');
const PYTHON = join(REPO_ROOT, 'models', '.venv', 'bin', 'python');
const METADATA_TOOL = join(REPO_ROOT, 'bench', 'tflite_metadata.py');

function integrity(path) {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/** The tasks-vision tarball, fetched once with `npm pack` into the cache. */
async function tasksVisionTarball() {
  const dir = join(cacheRoot(), 'tasks-vision');
  const tarball = join(dir, `mediapipe-tasks-vision-${TASKS_VISION.version}.tgz`);
  if (!existsSync(tarball)) {
    mkdirSync(dir, { recursive: true });
    await run('npm', ['pack', `${TASKS_VISION.name}@${TASKS_VISION.version}`, '--pack-destination', dir, '--silent'],
      { cwd: dir, timeout: 300_000 })
      .catch((err) => { throw new Error(`npm pack ${TASKS_VISION.name}@${TASKS_VISION.version} failed: ${err.stderr || err.message}`); });
  }
  const have = integrity(tarball);
  if (have !== TASKS_VISION.integrity) throw new Error(`${tarball} is not the registry's ${TASKS_VISION.version} (${have})`);
  return tarball;
}

/** The selfie model with tasks-vision's metadata, made once into the cache. */
async function selfieModel() {
  const out = join(cacheRoot(), 'tasks-vision', 'selfie_segmentation-with-metadata.tflite');
  if (!existsSync(out)) {
    if (!existsSync(SELFIE_TFLITE)) throw new Error(`${SELFIE_TFLITE} is missing: run bash scripts/build.sh (npm ci in models/)`);
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run bash scripts/build.sh (models/.venv)`);
    mkdirSync(join(out, '..'), { recursive: true });
    const partial = `${out}.${process.pid}`;
    await run(PYTHON, [METADATA_TOOL, SELFIE_TFLITE, partial], { timeout: 120_000 });
    renameSync(partial, out);
  }
  return out;
}

/** Installs Galene's optional blur into `staticDir` (a copy the test owns). */
export async function installGaleneBlur(staticDir) {
  const dest = join(staticDir, 'third-party', 'tasks-vision');
  mkdirSync(join(dest, 'models'), { recursive: true });
  await run('tar', ['-xzf', await tasksVisionTarball(), '-C', dest, '--strip-components=1'], { timeout: 120_000 });
  copyFileSync(await selfieModel(), join(dest, 'models', 'selfie_segmenter.tflite'));
  return {
    source: `${TASKS_VISION.name}@${TASKS_VISION.version} from npm; selfie_segmenter.tflite = ` +
      '@mediapipe/selfie_segmentation 0.1.1675465747 selfie_segmentation.tflite + metadata (bench/tflite_metadata.py)',
  };
}
