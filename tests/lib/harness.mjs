// Opens tests/pages/package-harness.html: the npm package from www/dist on a source
// (fake camera or a loopback WebRTC track), served with the repository as root.

import { resolve } from 'node:path';
import { REPO_ROOT, startServer } from './server.mjs';

/** Starts the static server on the repository root, opening the harness page. */
export function startHarnessServer() {
  return startServer({
    args: [resolve(REPO_ROOT, 'scripts', 'serve.mjs'), '--port', '0', '--root', REPO_ROOT, '--index', '/tests/pages/package-harness.html'],
  });
}

/**
 * Opens the harness in a new page of `browser` and starts Backdrop with `options`
 * (`source`: 'camera' | 'webrtc', plus createBackdrop options). Returns the page.
 */
export async function openHarness(browser, url, options) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
  await page.evaluate((o) => window.harness.start(o), options);
  return page;
}

/** `backdrop.stats()` of the harness page's session. */
export function stats(page) {
  return page.evaluate(() => window.harness.session.backdrop.stats());
}

/** Calls `backdrop.setOptions(changes)` in the page. */
export function setOptions(page, changes) {
  return page.evaluate((c) => window.harness.session.backdrop.setOptions(c), changes);
}

/**
 * Sends a test hook (www/src/worker/test-hooks.ts) to the worker of the harness page's
 * Backdrop, started with `testHooks: true`.
 */
export function testHook(page, hook) {
  return page.evaluate((h) => window.harness.session.hooks.send(h), hook);
}

/** Input and output frame rates over `ms`: camera frames delivered vs frames the output video presented. */
export async function frameRates(page, ms) {
  const a = await page.evaluate(() => window.harness.counts());
  await new Promise((r) => setTimeout(r, ms));
  const b = await page.evaluate(() => window.harness.counts());
  const seconds = (b.at - a.at) / 1000;
  return {
    input: a.input === null ? null : (b.input - a.input) / seconds,
    output: (b.output - a.output) / seconds,
  };
}
