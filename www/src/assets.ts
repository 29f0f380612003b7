/**
 * Where the package's assets live: next to it, resolved from this module's URL, so
 * nothing is fetched from another origin and any URL prefix or bundler works.
 */

import type { ModelUrls } from './worker/protocol.js';
import { TEST_HOOKS_WORKER_NAME } from './worker/test-hooks.js';

/** ONNX models, copied into the package by scripts/build.sh. */
export function modelUrls(): ModelUrls {
  return {
    general: new URL('../pkg/models/selfie_general.onnx', import.meta.url).href,
    landscape: new URL('../pkg/models/selfie_landscape.onnx', import.meta.url).href,
  };
}

/** The worker; `testHooks`: one that honours test hooks (its name says so: worker/test-hooks.ts). */
export function createWorker(testHooks: boolean): Worker {
  // One literal `new Worker(new URL(...))` form, so that bundlers find the worker.
  return new Worker(new URL('./worker/index.js', import.meta.url), {
    type: 'module',
    name: testHooks ? TEST_HOOKS_WORKER_NAME : 'backdrop',
  });
}
