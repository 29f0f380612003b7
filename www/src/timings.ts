/**
 * The core's per-stage timings: the stage names, defined once. The wasm `Timings` object
 * has a getter of each name; a frame's timings travel from the worker to the page as a
 * plain `StageTimings`, and `stats().stages` is their mean.
 */

export const STAGES = ['preprocessMs', 'inferenceMs', 'refineMs', 'compositeMs', 'totalMs'] as const;
export type Stage = (typeof STAGES)[number];

/** Milliseconds per stage of the core for one frame (or a mean over frames). */
export type StageTimings = { readonly [S in Stage]: number };

/** Copies the stages out of anything that has them (the wasm `Timings` object). */
export function stageTimings(source: StageTimings): StageTimings {
  return Object.fromEntries(STAGES.map((stage) => [stage, source[stage]])) as Record<Stage, number>;
}

/** The mean of each stage over `frames` (zeros for none). */
export function meanTimings(frames: readonly StageTimings[]): StageTimings {
  const n = Math.max(1, frames.length);
  return Object.fromEntries(
    STAGES.map((stage) => [stage, frames.reduce((sum, t) => sum + t[stage], 0) / n]),
  ) as Record<Stage, number>;
}
