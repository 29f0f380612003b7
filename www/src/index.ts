/**
 * Backdrop: private, real-time background removal for video calls, in the browser.
 */

export { detectBuild, supportsFastBuild, FAST_BUILD_FEATURES, type WasmBuild } from './features.js';
export { loadWasm, type LoadedWasm } from './wasm.js';
