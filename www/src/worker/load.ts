/**
 * Loading, in the worker: one of the two wasm builds and the models, with progress. Every
 * asset resolves relative to the package (`new URL(..., import.meta.url)`), so it works
 * from any URL prefix and with any bundler that understands that; nothing is fetched from
 * another origin.
 */

import type { WasmBuild } from '../features.js';

export type WasmModule = typeof import('../../pkg/backdrop_simd.js');
export type Processor = InstanceType<WasmModule['Processor']>;

/** Instantiates the given build. */
export async function loadWasm(build: WasmBuild): Promise<WasmModule> {
  // Two literal import paths (not one computed path) so bundlers see both builds.
  const module: WasmModule =
    build === 'simd'
      ? await import('../../pkg/backdrop_simd.js')
      : await import('../../pkg/backdrop_nosimd.js');
  const wasmUrl =
    build === 'simd'
      ? new URL('../../pkg/backdrop_simd_bg.wasm', import.meta.url)
      : new URL('../../pkg/backdrop_nosimd_bg.wasm', import.meta.url);
  await module.default({ module_or_path: wasmUrl });
  return module;
}

/**
 * Fetches every URL in full, calling `progress` with the bytes loaded so far of all of
 * them together (the total from their Content-Length, once known); fails on an HTTP error
 * or a body shorter than its Content-Length.
 */
export async function fetchAll(urls: string[], progress: (loaded: number, total: number) => void): Promise<Uint8Array[]> {
  const responses = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`loading ${url}: HTTP ${response.status}`);
      return response;
    }),
  );
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
