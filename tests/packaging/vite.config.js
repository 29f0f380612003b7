// The package's worker imports its wasm build lazily: Vite must emit module workers.
export default {
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, rollupOptions: { input: 'vite.html' } },
  logLevel: 'warn',
};
