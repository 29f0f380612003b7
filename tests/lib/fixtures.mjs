// Paths of the test fixtures that scripts/build.sh makes (never committed: they are
// derived from photographs that come from registry packages; see models/IMAGES.md).

import { resolve } from 'node:path';
import { REPO_ROOT } from './server.mjs';

/** A 640×480 Y4M clip of a real person (still, then moving), for Chromium's fake camera. */
export const PERSON_Y4M = resolve(REPO_ROOT, 'tests', 'fixtures', 'build', 'person-640x480.y4m');
