// A Chromium whose tabs can really be hidden, for the background-tab tests.
//
// Chromium launched by Playwright (lib/browser.mjs) never hides a page: Playwright emulates
// focus for every page it drives and passes --disable-background-timer-throttling,
// --disable-renderer-backgrounding and --disable-backgrounding-occluded-windows. Here
// Chromium is started by hand with the flags of lib/browser.mjs, the fake camera and a
// DevTools port on loopback, and Playwright attaches with connectOverCDP(..., {noDefaults}):
// a page behind another tab then reports `document.visibilityState === 'hidden'` and has
// its timers throttled like a user's background tab.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './browser.mjs';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--mute-audio',
  '--window-size=1280,720',
  '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

/**
 * Starts Chromium on the fake camera `fakeCamera` (a .y4m file) and attaches Playwright.
 * Returns `{browser, context, close()}`; `context` is the default browser context (no
 * focus or viewport emulation).
 */
export async function launchChromiumWithTabs({ fakeCamera, timeoutMs = 60_000 }) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run bash scripts/test.sh (it installs Debian's chromium)`);
  if (!existsSync(fakeCamera)) throw new Error(`fake camera file ${fakeCamera} missing: run bash scripts/build.sh`);
  const profile = mkdtempSync(join(tmpdir(), 'backdrop-tabs-'));
  const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, `--use-file-for-fake-video-capture=${fakeCamera}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so close() ends every Chromium process
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  let exited = null;
  child.on('exit', (code, signal) => { exited = signal ?? code; });
  const kill = () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    // Chromium writes the port it chose and the browser's WebSocket path into the profile.
    const portFile = join(profile, 'DevToolsActivePort');
    const deadline = Date.now() + timeoutMs;
    let endpoint = null;
    for (let i = 0; i < 1000 && Date.now() < deadline && exited === null && !endpoint; i++) {
      const [port, path] = existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n') : [];
      if (port && path) endpoint = `ws://127.0.0.1:${port}${path}`;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!endpoint) throw new Error(`Chromium did not open its DevTools port within ${timeoutMs} ms (exit: ${exited}); stderr:\n${stderr}`);
    const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true, timeout: timeoutMs });
    const [context] = browser.contexts();
    return {
      browser,
      context,
      async close() {
        await browser.close().catch(() => undefined);
        kill();
      },
    };
  } catch (err) {
    kill();
    throw err;
  }
}

/** Brings a new blank tab to the front so that `page` is hidden; returns that tab. */
export async function hide(context, page) {
  const other = await context.newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  await page.waitForFunction(() => document.visibilityState === 'hidden', null, { timeout: 10_000 });
  return other;
}

/** Brings `page` back to the front and closes the tab that hid it. */
export async function show(page, other) {
  await page.bringToFront();
  await page.waitForFunction(() => document.visibilityState === 'visible', null, { timeout: 10_000 });
  await other.close();
}
