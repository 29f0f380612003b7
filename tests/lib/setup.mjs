// The set-up most end-to-end files share: a static server (the demo's, or the package
// harness's: lib/harness.mjs) and Chromium on the fake camera (lib/fixtures.mjs), started
// before the file's first test and stopped after its last.

import { before, after } from 'node:test';
import { launchChromium } from './browser.mjs';
import { PERSON_Y4M } from './fixtures.mjs';
import { startHarnessServer } from './harness.mjs';
import { startServer } from './server.mjs';

/**
 * Registers the file's `before` and `after` hooks; returns `{server, browser}`, filled in
 * once `before` has run. A file's own set-up that needs them goes in `then`, run in the
 * same hook: Node 20 starts a file's top-level `before` hooks without waiting for the
 * one before.
 * @param {'demo' | 'harness'} [site] what the server serves: the demo page, or tests/pages/package-harness.html
 * @param {(env: {server: {url: string, stop(): void}, browser: import('playwright-core').Browser}) => Promise<void>} [then]
 * @returns {{server: {url: string, stop(): void}, browser: import('playwright-core').Browser}}
 */
export function useServerAndBrowser(site = 'demo', then = async () => {}) {
  const env = /** @type {any} */ ({ server: null, browser: null });
  before(async () => {
    env.server = site === 'harness' ? await startHarnessServer() : await startServer();
    env.browser = await launchChromium({ fakeCamera: PERSON_Y4M });
    await then(env);
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
