/**
 * The canvas path's clock: a worker that posts a message every `intervalMs` (the first
 * message it gets). A worker's timers keep their rate in a hidden tab, where the page's
 * timers and animation frames are throttled to once a second or stopped.
 */

/** The part of the worker's global scope this file uses (the DOM typings describe a window). */
interface ClockScope {
  postMessage(message: null): void;
  onmessage: ((event: MessageEvent<number>) => void) | null;
}

const scope = self as unknown as ClockScope;
let timer: ReturnType<typeof setInterval> | null = null;

scope.onmessage = (event: MessageEvent<number>) => {
  if (timer !== null) clearInterval(timer);
  timer = setInterval(() => scope.postMessage(null), event.data);
};
