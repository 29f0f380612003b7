// The entry point a bundler (Vite, webpack) builds: the package by its name.
import * as backdropModule from 'backdrop-video';
import { run } from './app.js';

run(backdropModule);
