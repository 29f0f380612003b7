// Prints the size of every artefact the package ships (raw, gzip -9 and brotli at its best,
// as a static server would send them), then what one start of Backdrop downloads for its
// first frame: the package's JS (worker included), both wasm builds' glue (the worker
// imports both), one build's module, and one model. Called by scripts/build.sh.
//
//   node scripts/sizes.mjs            # from the repository root
//   node scripts/sizes.mjs --json     # the same as JSON (bench/run.mjs keeps it for docs/PERFORMANCE.md)

import { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const pkg = join(root, 'www/pkg');
const dist = join(root, 'www/dist');

function jsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

// Brotli at its best quality takes about half a minute on a 13 MB module, so the sizes
// are kept by content hash (in the scripts' cache, see scripts/lib.sh) and a rebuild that
// changed nothing costs nothing.
const cacheFile = join(process.env.BACKDROP_CACHE ?? join(homedir(), '.cache/backdrop'), 'sizes.json');
const cache = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};

function measure(file) {
  const data = readFileSync(file);
  const key = createHash('sha256').update(data).digest('hex');
  cache[key] ??= compress(data);
  return cache[key];
}

function compress(data) {
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
}

const asJson = process.argv.includes('--json');
const report = { files: {}, firstFrame: {} };
const print = (name, s) => (asJson ? undefined : console.log(row(name, s)));
const row = (name, s) =>
  `  ${name.padEnd(48)} ${String(s.raw).padStart(9)} bytes ${String(s.gzip).padStart(8)} gzip ${String(s.brotli).padStart(8)} brotli`;

const sizes = new Map();
const files = [
  ...readdirSync(pkg).filter((f) => f.endsWith('.wasm') || f.endsWith('.js')).sort().map((f) => join(pkg, f)),
  ...(existsSync(join(pkg, 'models')) ? readdirSync(join(pkg, 'models')).sort().map((f) => join(pkg, 'models', f)) : []),
  ...jsFiles(dist),
];
for (const file of files) {
  sizes.set(file, measure(file));
  report.files[relative(root, file)] = sizes.get(file);
  print(relative(root, file), sizes.get(file));
}

const js = jsFiles(dist);
for (const build of ['simd', 'nosimd']) {
  for (const model of ['selfie_general', 'selfie_landscape']) {
    // The worker imports both builds' glue (worker/load.ts), and fetches one build's module.
    const parts = [...js, join(pkg, 'backdrop_simd.js'), join(pkg, 'backdrop_nosimd.js'), join(pkg, `backdrop_${build}_bg.wasm`), join(pkg, 'models', `${model}.onnx`)];
    if (!parts.every((p) => sizes.has(p))) continue;
    const total = parts.reduce((t, p) => ({
      raw: t.raw + sizes.get(p).raw, gzip: t.gzip + sizes.get(p).gzip, brotli: t.brotli + sizes.get(p).brotli,
    }), { raw: 0, gzip: 0, brotli: 0 });
    (report.firstFrame[build] ??= {})[model.replace('selfie_', '')] = total;
    print(`first frame: ${build} build, ${model.replace('selfie_', '')} model`, total);
  }
}

mkdirSync(dirname(cacheFile), { recursive: true });
const live = new Set([...sizes.values()]);
writeFileSync(cacheFile, JSON.stringify(Object.fromEntries(Object.entries(cache).filter(([, v]) => live.has(v)))));
if (asJson) console.log(JSON.stringify(report));
