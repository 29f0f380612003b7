/**
 * Which wasm build this browser can run.
 *
 * The fast build is compiled with the target features listed in `wasm_cargo()` in
 * `scripts/lib.sh` (today: `simd128`). Keep `FAST_BUILD_FEATURES` and the probes below in
 * sync with that list: one probe per feature, each a tiny module that only validates
 * where the feature is supported.
 */

export type WasmBuild = 'simd' | 'nosimd';

/** The target features of the `simd` build, mirrored from scripts/lib.sh. */
export const FAST_BUILD_FEATURES = ['simd128'] as const;
type Feature = (typeof FAST_BUILD_FEATURES)[number];

// A module with one function `() -> v128` whose body is `i32.const 0; i8x16.splat`.
const SIMD128_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0, i8x16.splat, end
]);

const PROBES: Record<Feature, Uint8Array<ArrayBuffer>> = { simd128: SIMD128_PROBE };

/** True when this browser validates every feature of the fast build. */
export function supportsFastBuild(): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  return FAST_BUILD_FEATURES.every((feature) => WebAssembly.validate(PROBES[feature]));
}

/** The build to load: the fast one where it validates, the fallback otherwise. */
export function detectBuild(): WasmBuild {
  return supportsFastBuild() ? 'simd' : 'nosimd';
}
