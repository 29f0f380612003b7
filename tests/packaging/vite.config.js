// Vite's defaults; only where the test app's page and output are.
export default {
  build: { outDir: 'dist', emptyOutDir: true, rollupOptions: { input: 'vite.html' } },
  logLevel: 'warn',
};
