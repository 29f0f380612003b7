/**
 * The worker's side of the test hooks (documented in options.ts, `TestHooks`). Not API.
 */

/** `debugSlowdown`: spins until the frame has cost `factor` times `since`'s elapsed time. */
export function simulateSlowCpu(since: number, factor: number): void {
  if (factor <= 1) return;
  const until = since + (performance.now() - since) * factor;
  // Bounded by the factor (at most 20) times the frame's own cost.
  while (performance.now() < until) {
    /* busy, like a slower CPU */
  }
}
