/**
 * The page's side of the test hooks (the worker's side and the list of hooks:
 * worker/test-hooks.ts). Not API: not exported by index.ts nor by the package's
 * `exports`; the end-to-end tests' page imports this file from `dist/` by its path.
 *
 * `enableTestHooks()` must run before `createBackdrop`: Backdrops created after it start
 * their workers under the test-hook name (the only workers that honour hook messages),
 * and `testHooks(backdrop)` then reaches that Backdrop's worker.
 */

import type { WorkerClient } from './client.js';
import { checkTestHook, type TestHook } from './worker/test-hooks.js';

export type { TestHook } from './worker/test-hooks.js';

let enabled = false;
const clients = new WeakMap<object, WorkerClient>();

/** From now on, new Backdrops in this page start workers that honour test hooks. */
export function enableTestHooks(): void {
  enabled = true;
}

export function testHooksEnabled(): boolean {
  return enabled;
}

/** Called by each Backdrop with its worker client; remembered only when hooks are enabled. */
export function registerForTestHooks(backdrop: object, client: WorkerClient): void {
  if (enabled) clients.set(backdrop, client);
}

export interface TestHandle {
  /** Sends a hook to the worker (a lasting one also to the workers that replace it). */
  send(hook: TestHook): void;
  /** Terminates the worker from outside, behind the client's back, as a browser might. */
  terminateWorker(): void;
}

export function testHooks(backdrop: object): TestHandle {
  const client = clients.get(backdrop);
  if (!client) throw new Error('Backdrop test hooks: this Backdrop was created before enableTestHooks() was called');
  return {
    send: (hook) => client.testHook(checkTestHook(hook)),
    terminateWorker: () => client.terminateForTest(),
  };
}
