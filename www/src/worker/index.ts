/**
 * The worker's entry point (started by client.ts): one BackdropWorker, fed the page's
 * requests strictly one after another.
 */

import { BackdropWorker, errorMessage } from './backdrop-worker.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** The part of the worker's global scope this file uses (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const worker = new BackdropWorker(post);
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  queue = queue.then(() => worker.handle(message)).catch((err) => {
    post({ type: 'failed', message: `Backdrop worker error: ${errorMessage(err)}` });
  });
};
