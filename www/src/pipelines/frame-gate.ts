/**
 * The frame gate: the one policy for which camera frame is processed when, shared by
 * every stream path (insertable streams, canvas). A reviewer checks the fail-closed
 * timing rules here, once:
 *
 * - one frame in flight: a frame is processed only when the previous one is done;
 * - newest wins: a frame that arrives while one is in flight waits, and replaces (and
 *   closes) any older waiting frame, which counts as dropped; the waiting frame goes next,
 *   so a frame that costs more than the interval delays the output by at most a frame;
 * - the deadline: a frame that arrives when the one in flight has taken longer than
 *   `maxFrameDelayMs` is replaced by the privacy frame (and closed); and when the one in
 *   flight reaches that age, the privacy frame is output once even if no frame arrives
 *   (a camera may deliver nothing while its last frame is held in a blocked worker), so
 *   the output never freezes on an old picture for longer than that;
 * - a frame that fails to process is replaced by the privacy frame.
 *
 * Every frame handed to the gate is closed exactly once, by the gate or by the target it
 * hands the frame to.
 */

/** A frame the gate can hold: `VideoFrame`, or a path's own ticket. */
export interface Closable {
  close(): void;
}

/** Where the gate sends frames: the path's sink. */
export interface GateTarget<F extends Closable> {
  /**
   * Processes `frame` and outputs the result. Consumes the frame (closes it or passes it
   * on). On rejection the gate outputs the privacy frame.
   */
  process(frame: F): Promise<void>;
  /**
   * Outputs the privacy frame: in place of `late` (a frame that came after the deadline,
   * still open: the gate closes it afterwards), or after a failed `process` (`null`).
   */
  privacy(late: F | null): Promise<void> | void;
}

/** Runs `run` after `ms` unless the returned function is called first. */
export type Timer = (run: () => void, ms: number) => () => void;

const BROWSER_TIMER: Timer = (run, ms) => {
  const id = setTimeout(run, ms);
  return () => clearTimeout(id);
};

/** What the gate reports, and the deadline it applies. */
export interface GateEvents {
  /** A frame arrived (processed, waiting or dropped): the input's frame rate. */
  arrived(): void;
  /** A waiting frame was replaced by a newer one. */
  dropped(): void;
  /** A frame was replaced by the privacy frame because the one in flight is too late. */
  late(): void;
  maxFrameDelayMs(): number;
}

export class FrameGate<F extends Closable> {
  readonly #target: GateTarget<F>;
  readonly #events: GateEvents;
  readonly #now: () => number;
  #inFlight = false;
  #inFlightSince = 0;
  #waiting: F | null = null;
  #stopped = false;
  /** Settles when the frame in flight (and those that follow it) are done. */
  #idle: Promise<void> = Promise.resolve();

  readonly #timer: Timer;

  constructor(target: GateTarget<F>, events: GateEvents, now: () => number = () => performance.now(), timer: Timer = BROWSER_TIMER) {
    this.#target = target;
    this.#events = events;
    this.#now = now;
    this.#timer = timer;
  }

  /**
   * Hands the gate a new frame (consumed). Resolves at once, or, when the privacy frame
   * replaces it, once that is output (a source may wait for it before reading on).
   */
  async push(frame: F): Promise<void> {
    if (this.#stopped) {
      frame.close();
      return;
    }
    this.#events.arrived();
    if (!this.#inFlight) {
      this.#run(frame);
      return;
    }
    if (this.#now() - this.#inFlightSince > this.#events.maxFrameDelayMs()) {
      this.#events.late();
      try {
        await this.#target.privacy(frame);
      } finally {
        frame.close();
      }
      return;
    }
    if (this.#waiting) {
      this.#events.dropped();
      this.#waiting.close();
    }
    this.#waiting = frame;
  }

  /** Closes the waiting frame; frames pushed from now on are closed at once. */
  stop(): void {
    this.#stopped = true;
    this.#waiting?.close();
    this.#waiting = null;
  }

  /** Settles once no frame is in flight (for tests and orderly shutdown). */
  idle(): Promise<void> {
    return this.#idle;
  }

  #run(frame: F): void {
    this.#inFlight = true;
    this.#inFlightSince = this.#now();
    // The frame in flight grows too old with no frame arriving: the privacy frame, once.
    const cancelDeadline = this.#timer(() => {
      if (this.#stopped) return;
      this.#events.late();
      void Promise.resolve(this.#target.privacy(null)).catch(() => undefined);
    }, this.#events.maxFrameDelayMs());
    this.#idle = this.#target
      .process(frame)
      .catch(() => (this.#stopped ? undefined : this.#target.privacy(null)))
      .catch(() => undefined)
      .finally(() => {
        cancelDeadline();
        this.#inFlight = false;
        const next = this.#waiting;
        this.#waiting = null;
        if (next && !this.#stopped) {
          this.#run(next);
          return this.#idle;
        }
        next?.close();
        return undefined;
      });
  }
}
