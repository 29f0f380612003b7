import * as backdropModule from './node_modules/backdrop-video/dist/index.js';
import { run } from './app.js';

run(backdropModule);
