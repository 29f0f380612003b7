/**
 * Where the package's assets live: next to it, resolved from this module's URL, so
 * nothing is fetched from another origin and any URL prefix or bundler works.
 */

/** ONNX models, copied into the package by scripts/build.sh. */
export function modelUrls(): { general: string; landscape: string } {
  return {
    general: new URL('../pkg/models/selfie_general.onnx', import.meta.url).href,
    landscape: new URL('../pkg/models/selfie_landscape.onnx', import.meta.url).href,
  };
}

export function createWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'backdrop' });
}
