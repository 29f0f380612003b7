/**
 * Loading, in the worker: one of the two wasm builds and the models, with progress. Every
 * asset resolves relative to the package (`new URL(..., import.meta.url)`), so it works
 * from any URL prefix and with any bundler that understands that; nothing is fetched from
 * another origin.
 *
 * Both builds' JavaScript bindings are imported statically (a few kilobytes each): a
 * worker without dynamic imports is one file for a bundler, which then needs no setting
 * (Vite's default worker format cannot split code), and the worker starts without waiting
 * for another module. Only the chosen build's wasm is fetched.
 */

import * as simd from '../../pkg/backdrop_simd.js';
import * as nosimd from '../../pkg/backdrop_nosimd.js';
import type { WasmBuild } from '../features.js';

export type WasmModule = typeof simd;
export type Processor = InstanceType<WasmModule['Processor']>;

/** Instantiates the given build. */
export async function loadWasm(build: WasmBuild): Promise<WasmModule> {
  const module: WasmModule = build === 'simd' ? simd : nosimd;
  // Two literal URLs (not one computed path) so bundlers see both builds.
  const wasmUrl =
    build === 'simd'
      ? new URL('../../pkg/backdrop_simd_bg.wasm', import.meta.url)
      : new URL('../../pkg/backdrop_nosimd_bg.wasm', import.meta.url);
  // Fetched here, not by wasm-bindgen's init, so that a download that stalls fails too.
  const response = await watchedFetch(wasmUrl.href);
  await module.default({ module_or_path: response });
  return module;
}

/**
 * A download that delivers nothing for this long has stalled: it fails (and the page
 * retries with a new worker, client.ts) instead of keeping Backdrop loading for good. A
 * slow connection still delivers bytes every few hundred milliseconds.
 */
export const STALL_MS = 15_000;

/**
 * `fetch(url)`, failing with a message that names the URL on an HTTP error, or when the
 * headers or any part of the body take longer than `stallMs` to come.
 */
export async function watchedFetch(url: string, stallMs = STALL_MS): Promise<Response> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = stallMs >= 1000 ? `${Math.round(stallMs / 1000)} s` : `${stallMs} ms`;
  const stalled = () => new Error(`loading ${url}: no data for ${limit}`);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(stalled()), stallMs);
  };
  arm();
  let response: Response;
  try {
    response = await fetch(url, { signal: abort.signal });
  } catch (err) {
    clearTimeout(timer);
    throw abort.signal.aborted ? abort.signal.reason : err;
  }
  if (!response.ok) {
    clearTimeout(timer);
    throw new Error(`loading ${url}: HTTP ${response.status}`);
  }
  if (!response.body) {
    clearTimeout(timer);
    return response;
  }
  // Every chunk re-arms the timer; the end of the body disarms it.
  const watch = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      arm();
      controller.enqueue(chunk);
    },
    flush() {
      clearTimeout(timer);
    },
  });
  const body = response.body.pipeThrough(watch, { signal: abort.signal });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Fetches every URL in full, calling `progress` with the bytes loaded so far of all of
 * them together (the total from their Content-Length, once known); fails on an HTTP error
 * a body shorter than its Content-Length, or a download that stalls (`watchedFetch`).
 */
export async function fetchAll(
  urls: string[],
  progress: (loaded: number, total: number) => void,
  stallMs = STALL_MS,
): Promise<Uint8Array[]> {
  const responses = await Promise.all(urls.map((url) => watchedFetch(url, stallMs)));
  const sizes = responses.map((r) => Number(r.headers.get('Content-Length')) || 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  let loaded = 0;
  return Promise.all(
    responses.map(async (response, i) => {
      if (!response.body) return new Uint8Array(await response.arrayBuffer());
      const chunks: Uint8Array[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        progress(loaded, Math.max(total, loaded));
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      if (sizes[i] && bytes.byteLength !== sizes[i]) throw new Error(`loading ${urls[i]}: truncated`);
      return bytes;
    }),
  );
}
