/**
 * The second model, in the worker. A start fetches and parses only the model its first
 * frames need (the core says which: `wantedModel`); the other one is fetched the first
 * time a frame asks for it (`missingModel`: a wide frame under `auto`, a quality tier
 * that runs the landscape model), in the background, while frames go on with the model
 * that is loaded. Once its bytes are here the worker parses it between two frames.
 *
 * A failed fetch changes nothing for the frames (they keep the loaded model); it is
 * reported and tried again after `RETRY_MS`.
 */

import type { ModelUrls } from './protocol.js';

export type ModelName = keyof ModelUrls;

export const MODEL_NAMES: readonly ModelName[] = ['general', 'landscape'];

/** The pause before a failed model is fetched again. */
export const RETRY_MS = 30_000;

export interface Arrived {
  readonly name: ModelName;
  readonly bytes: Uint8Array;
}

export interface LaterModelsDeps {
  /** Fetches one model's bytes in full (load.ts's `fetchAll` in the browser). */
  fetch(url: string): Promise<Uint8Array>;
  /** Says why a model could not be had (the frames go on without it). */
  warn(message: string): void;
  now(): number;
}

export function isModelName(name: unknown): name is ModelName {
  return MODEL_NAMES.includes(name as ModelName);
}

export class LaterModels {
  readonly #urls: ModelUrls;
  readonly #deps: LaterModelsDeps;
  /** Names fetched or being fetched, and when a failed one may be tried again. */
  readonly #requested = new Map<ModelName, number>();
  #arrived: Arrived[] = [];

  /** `loaded`: the model the worker started with. */
  constructor(urls: ModelUrls, loaded: ModelName, deps: LaterModelsDeps) {
    this.#urls = urls;
    this.#deps = deps;
    this.#requested.set(loaded, Number.POSITIVE_INFINITY);
  }

  /** After a frame: the model it wanted but did not have, if any; fetched once. */
  want(name: string | undefined): void {
    if (!isModelName(name)) return;
    const retryAt = this.#requested.get(name);
    if (retryAt !== undefined && this.#deps.now() < retryAt) return;
    this.#requested.set(name, Number.POSITIVE_INFINITY);
    const url = this.#urls[name];
    this.#deps.fetch(url).then(
      (bytes) => this.#arrived.push({ name, bytes }),
      (err: unknown) => this.failed(name, err instanceof Error ? err.message : String(err)),
    );
  }

  /** Before a frame: the models whose bytes came since the last call, to parse now. */
  take(): Arrived[] {
    const arrived = this.#arrived;
    this.#arrived = [];
    return arrived;
  }

  /** The model could not be fetched or parsed: frames keep the loaded one; tried again later. */
  failed(name: ModelName, message: string): void {
    this.#requested.set(name, this.#deps.now() + RETRY_MS);
    this.#deps.warn(`Backdrop: the ${name} model is not available (${message}); frames keep using the loaded model, and it is tried again in ${RETRY_MS / 1000} s`);
  }
}
