// webpack 5's defaults; only the entry and where the output goes.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './bundled-main.js',
  output: { path: fileURLToPath(new URL('./webpack-dist/', import.meta.url)) },
};
