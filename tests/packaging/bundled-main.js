import * as backdropModule from 'backdrop-video';
import { run } from './app.js';

run(backdropModule);
