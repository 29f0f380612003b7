// Starts Debian's Firefox (firefox-esr) through puppeteer-core over WebDriver BiDi, for
// the end-to-end tests in a second browser.
//
// Never downloads a browser: the executable is /usr/bin/firefox-esr (or $BACKDROP_FIREFOX),
// installed by scripts/setup.sh. Firefox's fake camera (media.navigator.streams.fake) is
// a synthetic picture, not a person: tests that need the person clip use the harness's
// 'clip' source (tests/pages/clip-camera.js). Puppeteer's own Firefox preferences keep
// it off the network (no updates, telemetry or safe-browsing lists).

import puppeteer from 'puppeteer-core';
import { existsSync } from 'node:fs';

export const FIREFOX = process.env.BACKDROP_FIREFOX ?? '/usr/bin/firefox-esr';

/** Preferences for the tests: fake media devices without a prompt, media that plays by itself. */
const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0, // allowed
  'media.autoplay.blocking_policy': 0,
};

/**
 * Launches headless Firefox; `getUserMedia` gives Firefox's fake camera and microphone.
 * @param {{prefs?: Record<string, unknown>}} [options]
 * @returns {Promise<import('puppeteer-core').Browser>}
 */
export async function launchFirefox({ prefs = {} } = {}) {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} not found: run bash scripts/test.sh (it installs Debian's firefox-esr)`);
  try {
    return await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: { ...PREFS, ...prefs },
      timeout: 60_000,
    });
  } catch (err) {
    throw new Error(`could not launch ${FIREFOX} through puppeteer-core (WebDriver BiDi): ${err.message}`, { cause: err });
  }
}

/** Collects console errors, page errors and failed requests of a puppeteer page, for assertion messages. */
export function recordProblems(page) {
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location()?.url ?? ''})`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err?.message ?? err}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  return problems;
}

/**
 * Polls `fn(arg)` in the page (every 100 ms, at most `timeoutMs`) until it returns a truthy
 * value, and returns that value. Puppeteer's own waitForFunction has another signature
 * than Playwright's; this one reads the same in both.
 */
export async function waitInPage(page, fn, arg, { timeoutMs = 30_000, what = 'page condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    last = await page.evaluate(fn, arg);
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}
