/**
 * A steady clock for the canvas path that keeps its rate in a hidden tab: a small worker
 * of its own (clock-worker.ts) ticks, since a worker's timers are not throttled there.
 */

export interface Clock {
  stop(): void;
}

/** Calls `tick` every `intervalMs` until stopped. */
export function startClock(intervalMs: number, tick: () => void): Clock {
  const worker = new Worker(new URL('./clock-worker.js', import.meta.url), { type: 'module', name: 'backdrop-clock' });
  worker.onmessage = () => tick();
  worker.postMessage(intervalMs);
  return { stop: () => worker.terminate() };
}
