/**
 * The worker's side of the test hooks: faults and slowdowns the end-to-end tests switch
 * on (tests/e2e/faults.test.mjs, adaptive-quality.test.mjs). Not API, not options.
 *
 * A worker honours them only when its page asked for them: the page side
 * (src/test-hooks.ts, `enableTestHooks()`) starts the worker under the name
 * `TEST_HOOKS_WORKER_NAME`, and a worker of any other name ignores every hook message.
 * Nothing in the package's documented API turns them on.
 */

/** The worker name that enables the hooks (client.ts starts workers with it, on request). */
export const TEST_HOOKS_WORKER_NAME = 'backdrop (test hooks)';

export type TestHook =
  /** Every frame costs `factor` times its real cost (busy-waits after it), 1 to 20; 1 = off. */
  | { hook: 'slowdown'; factor: number }
  /**
   * The wasm processor panics in the middle of a frame (a wasm trap): the next frame
   * only, every frame (until `'none'`, also in the workers that replace this one), or
   * none.
   */
  | { hook: 'trap'; frames: 'next' | 'every' | 'none' }
  /** The next frame blocks the worker for `ms` (0 to 60 000) before it is processed. */
  | { hook: 'stall'; ms: number }
  /** The worker closes its own scope (`self.close()`): it stops answering, with no error event. */
  | { hook: 'close' };

const MAX_SLOWDOWN = 20;
const MAX_STALL_MS = 60_000;

/** Returns `hook` if it is a valid test hook, else throws an error naming what is wrong. */
export function checkTestHook(hook: TestHook): TestHook {
  switch (hook?.hook) {
    case 'slowdown':
      if (!(typeof hook.factor === 'number' && hook.factor >= 1 && hook.factor <= MAX_SLOWDOWN)) {
        throw new RangeError(`Backdrop test hook: slowdown factor must be a number from 1 to ${MAX_SLOWDOWN}, got ${hook.factor}`);
      }
      return hook;
    case 'trap':
      if (!['next', 'every', 'none'].includes(hook.frames)) {
        throw new TypeError(`Backdrop test hook: trap frames must be 'next', 'every' or 'none', got ${String(hook.frames)}`);
      }
      return hook;
    case 'stall':
      if (!(typeof hook.ms === 'number' && hook.ms >= 0 && hook.ms <= MAX_STALL_MS)) {
        throw new RangeError(`Backdrop test hook: stall ms must be a number from 0 to ${MAX_STALL_MS}, got ${hook.ms}`);
      }
      return hook;
    case 'close':
      return hook;
    default:
      throw new TypeError(`Backdrop test hook: unknown hook ${JSON.stringify(hook)}`);
  }
}

/**
 * Whether a new worker must get `hook` again after a restart (the page keeps it): the
 * lasting ones (a slowdown, traps on every frame); a one-shot fault is the old worker's.
 */
export function outlivesWorker(hook: TestHook): boolean {
  return hook.hook === 'slowdown' || (hook.hook === 'trap' && hook.frames === 'every');
}

/** The part of the wasm processor the hooks use. */
interface Trappable {
  testPanicOnNextFrame(): void;
}

/** Busy-waits until `performance.now()` reaches `until`: the worker is blocked, like a slow CPU. */
function spinUntil(until: number): void {
  // Bounded: `until` is at most MAX_STALL_MS or MAX_SLOWDOWN frame costs ahead.
  while (performance.now() < until) {
    /* busy */
  }
}

/** The hooks' state in one worker. */
export class WorkerTestHooks {
  #slowdown = 1;
  #trap: 'next' | 'every' | 'none' = 'none';
  #stallMs = 0;
  readonly #closeScope: () => void;

  constructor(closeScope: () => void) {
    this.#closeScope = closeScope;
  }

  /** Applies a hook message; an invalid one is reported and ignored. */
  receive(hook: TestHook): void {
    try {
      checkTestHook(hook);
    } catch (err) {
      console.error(err);
      return;
    }
    switch (hook.hook) {
      case 'slowdown':
        this.#slowdown = hook.factor;
        break;
      case 'trap':
        this.#trap = hook.frames;
        break;
      case 'stall':
        this.#stallMs = hook.ms;
        break;
      case 'close':
        this.#closeScope();
        break;
    }
  }

  /** Before a frame is processed: blocks for a pending stall, arms a pending trap. */
  beforeFrame(processor: Trappable): void {
    if (this.#stallMs > 0) {
      const ms = this.#stallMs;
      this.#stallMs = 0;
      spinUntil(performance.now() + ms);
    }
    if (this.#trap !== 'none') {
      processor.testPanicOnNextFrame();
      if (this.#trap === 'next') this.#trap = 'none';
    }
  }

  /** After a frame that started at `since`: spins until it has cost the slowdown factor times its real cost. */
  afterFrame(since: number): void {
    if (this.#slowdown <= 1) return;
    spinUntil(since + (performance.now() - since) * this.#slowdown);
  }
}
