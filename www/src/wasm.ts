/**
 * Loads one of the two wasm builds. Every asset resolves relative to this file, so the
 * package works from any URL prefix and with any bundler that understands
 * `new URL(..., import.meta.url)`; nothing is fetched from another origin.
 */

import { detectBuild, type WasmBuild } from './features.js';

export type WasmModule = typeof import('../pkg/backdrop_simd.js');

export interface LoadedWasm {
  readonly build: WasmBuild;
  readonly module: WasmModule;
}

/** Instantiates the given build (by default the fastest this browser validates). */
export async function loadWasm(build: WasmBuild = detectBuild()): Promise<LoadedWasm> {
  // Two literal import paths (not one computed path) so bundlers see both builds.
  const module: WasmModule =
    build === 'simd'
      ? await import('../pkg/backdrop_simd.js')
      : await import('../pkg/backdrop_nosimd.js');
  const wasmUrl =
    build === 'simd'
      ? new URL('../pkg/backdrop_simd_bg.wasm', import.meta.url)
      : new URL('../pkg/backdrop_nosimd_bg.wasm', import.meta.url);
  await module.default({ module_or_path: wasmUrl });
  return { build, module };
}
