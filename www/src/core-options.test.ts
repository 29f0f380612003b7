// The page's options against the core's: the defaults, the ranges and choices
// mergeOptions checks, and the quality tiers are the core's own (the wasm module's
// defaultOptions(), optionFields() and qualityTiers()), and what each tier runs is the
// core's rule; the stage names are its timingNames(). Loads the fallback wasm build
// from www/pkg (made by scripts/build.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEFAULT_OPTIONS, mergeOptions, type BackdropOptions } from './options.js';
import { QUALITY_TIERS } from './quality.js';
import { STAGES } from './timings.js';
import { coreRecord } from './worker/backdrop-worker.js';

/** From build/unit/ (where the compiled tests run) to www/pkg/. */
const PKG = new URL('../../pkg/', import.meta.url);

interface Field {
  name: string;
  kind: string;
  default: string | number;
  min?: number;
  max?: number;
  choices?: string[];
}

const wasm = await (async () => {
  const glue = await import(new URL('backdrop_nosimd.js', PKG).href);
  glue.initSync({ module: await readFile(new URL('backdrop_nosimd_bg.wasm', PKG)) });
  return glue;
})();

/** The core's options that the page sets (the worker fills in the tier itself). */
const WORKER_SET = new Set(['inferenceInterval', 'qualityTier']);
const fields = (wasm.optionFields() as Field[]).filter((f) => !WORKER_SET.has(f.name));
const base: BackdropOptions = { ...DEFAULT_OPTIONS };

test('every core option the package sets has the core default, and the record the worker sends is whole', () => {
  const defaults = wasm.defaultOptions();
  for (const f of fields) {
    assert.equal((DEFAULT_OPTIONS as unknown as Record<string, unknown>)[f.name], defaults[f.name], f.name);
  }
  const record = coreRecord({ ...base, tier: 0 } as never);
  assert.deepEqual(Object.keys(record).sort(), [...fields.map((f) => f.name), 'qualityTier'].sort());
  assert.deepEqual(wasm.checkOptions(record), { ...defaults, ...record });
});

test("mergeOptions accepts exactly the core's ranges and choices", () => {
  for (const f of fields) {
    const ok = (value: unknown) => mergeOptions(base, { [f.name]: value } as Partial<BackdropOptions>);
    const bad = (value: unknown, error: typeof TypeError | typeof RangeError) =>
      assert.throws(() => ok(value), error, `${f.name} = ${String(value)}`);
    if (f.kind === 'number') {
      ok(f.min);
      ok(f.max);
      bad(f.max! + 0.01, RangeError);
      bad(f.min! - 0.01, RangeError);
    } else if (f.kind === 'choice') {
      // `replace` needs a background image, a page-side rule, so it is checked with one.
      for (const choice of f.choices!) {
        if (!(f.name === 'mode' && choice === 'replace')) ok(choice);
      }
      bad('bogus', TypeError);
    } else if (f.kind === 'color') {
      for (const color of ['#102030', '#10203040', 'transparent']) ok(color);
      bad('red', TypeError);
    } else {
      assert.fail(`an option kind the page does not check: ${f.kind} (${f.name})`);
    }
  }
});

test('the quality tiers are the core’s, and each runs what the core says', async () => {
  assert.deepEqual(
    QUALITY_TIERS.map((t) => ({ ...t })),
    wasm.qualityTiers().map((t: { name: string; description: string }) => ({ name: t.name, description: t.description })),
  );
  const [general, landscape] = await Promise.all(
    ['selfie_general.onnx', 'selfie_landscape.onnx'].map(async (m) => new Uint8Array(await readFile(new URL(`models/${m}`, PKG)))),
  );
  const processor = new wasm.Processor(general, landscape);
  const runs = QUALITY_TIERS.map((_, tier) => {
    processor.setOptions({ model: 'general', refinement: 'guided', qualityTier: tier });
    const e = processor.effectiveOptions();
    return { model: e.model, refinement: e.refinement, inferenceInterval: e.inferenceInterval };
  });
  processor.free();
  assert.deepEqual(runs, [
    { model: 'general', refinement: 'guided', inferenceInterval: 1 },
    { model: 'landscape', refinement: 'guided', inferenceInterval: 1 },
    { model: 'landscape', refinement: 'bilinear', inferenceInterval: 1 },
    { model: 'landscape', refinement: 'bilinear', inferenceInterval: 2 },
    { model: 'landscape', refinement: 'bilinear', inferenceInterval: 3 },
  ]);
});

test('the stage names are the core’s, in its order', () => {
  assert.deepEqual([...STAGES], wasm.timingNames().map((name: string) => `${name}Ms`));
});
