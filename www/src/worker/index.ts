/**
 * The worker's entry point (started by client.ts): one BackdropWorker, fed the page's
 * requests strictly one after another; the watchdog's `ping` is answered at once, and the
 * camera's size (`source`) is noted at once, for a load already under way. The
 * test hooks exist only in a worker started under their name (test-hooks.ts).
 */

import { BackdropWorker, errorMessage, isWasmTrap, trapMessage } from './backdrop-worker.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { TEST_HOOKS_WORKER_NAME, WorkerTestHooks } from './test-hooks.js';

/** The part of the worker's global scope this file uses (the DOM typings describe a window). */
interface WorkerScope {
  readonly name: string;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  close(): void;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const hooks = scope.name === TEST_HOOKS_WORKER_NAME ? new WorkerTestHooks(() => scope.close()) : null;
const worker = new BackdropWorker(post, hooks);
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'ping' || message.type === 'source') {
    void worker.handle(message);
    return;
  }
  queue = queue.then(() => worker.handle(message)).catch((err) => {
    if (isWasmTrap(err)) post({ type: 'fatal', message: trapMessage(err, `handling '${message.type}'`) });
    else post({ type: 'failed', message: `Backdrop worker error: ${errorMessage(err)}` });
  });
};
