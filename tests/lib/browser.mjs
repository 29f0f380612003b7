// Starts Debian's Chromium through playwright-core for the end-to-end tests.
//
// Never downloads a browser: the executable is /usr/bin/chromium (or $BACKDROP_CHROMIUM).
// The flags keep Chromium off the network (this machine has none) and let it run as root.

import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium';

const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium. With `fakeCamera`, getUserMedia returns the frames of that
 * .y4m file (looped) and permission prompts are accepted.
 * @param {{fakeCamera?: string, extraArgs?: string[]}} [options]
 */
export async function launchChromium({ fakeCamera, extraArgs = [] } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run bash scripts/test.sh (it installs Debian's chromium)`);
  const args = [...BASE_FLAGS, ...extraArgs];
  if (fakeCamera) {
    if (!existsSync(fakeCamera)) throw new Error(`fake camera file ${fakeCamera} missing: run bash scripts/build.sh`);
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${fakeCamera}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 60_000 });
}

/** Collects console errors and failed requests of a page, for assertion messages. */
export function recordProblems(page) {
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location().url})`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  return problems;
}
