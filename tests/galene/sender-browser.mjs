// A Chromium for the Galene sender whose tabs can really be hidden.
//
// tests/lib/browser.mjs launches Chromium through Playwright, which keeps every page
// "visible" (it turns on focus emulation for each page it drives) and passes
// --disable-background-timer-throttling and --disable-renderer-backgrounding: a hidden tab
// would neither be hidden nor be throttled, and the hidden-tab test would measure nothing.
// Here Chromium is started by hand inside the network namespace with its DevTools port
// on the namespace's loopback, reached through a relay (one `ip netns exec` pipe per
// connection), and Playwright attaches with `connectOverCDP(..., {noDefaults: true})`:
// pages of the default context then behave as in a user's browser, and a page behind
// another tab reports `document.visibilityState === 'hidden'` and has its timers
// throttled like any background tab.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.BACKDROP_CHROMIUM_BINARY ?? '/usr/bin/chromium';

/**
 * The flags of tests/lib/browser.mjs (offline, as root, no GPU) without Playwright's
 * defaults that keep background tabs running at full speed.
 */
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
];

// Runs inside the namespace: one TCP connection to Chromium's DevTools port on stdio.
const PIPE = `const s = require('net').connect(Number(process.argv[1]), '127.0.0.1');
process.stdin.pipe(s); s.pipe(process.stdout);
s.on('error', () => process.exit(1)); s.on('close', () => process.exit(0));`;

/**
 * Starts Chromium in `namespace` with the fake camera and `extraArgs`, and attaches
 * Playwright. Returns `{browser, context, pid, close()}`; `context` is the default
 * browser context (no focus emulation, no viewport emulation).
 */
export async function launchSenderBrowser({ namespace, fakeCamera, extraArgs = [], timeoutMs = 60_000 }) {
  if (!existsSync(fakeCamera)) throw new Error(`fake camera file ${fakeCamera} missing: run bash scripts/build.sh`);
  const profile = mkdtempSync(join(tmpdir(), 'backdrop-sender-'));
  const child = spawn('ip', ['netns', 'exec', namespace.name, CHROMIUM, ...FLAGS,
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${fakeCamera}`,
    ...extraArgs,
    'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  let exited = null;
  child.on('exit', (code, signal) => { exited = signal ?? code; });

  const relays = new Set();
  const server = createServer((socket) => {
    const relay = spawn('ip', ['netns', 'exec', namespace.name, process.execPath, '-e', PIPE, String(port)], { stdio: ['pipe', 'pipe', 'ignore'] });
    relays.add(relay);
    socket.pipe(relay.stdin);
    relay.stdout.pipe(socket);
    const end = () => {
      socket.destroy();
      relay.kill();
      relays.delete(relay);
    };
    socket.on('close', end);
    socket.on('error', end);
    relay.on('exit', end);
  });
  let port = 0;
  const close = async () => {
    server.close();
    for (const relay of relays) relay.kill();
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(profile, { recursive: true, force: true });
  };

  try {
    // Chromium writes the port it chose, and the browser's WebSocket path, into the profile.
    const portFile = join(profile, 'DevToolsActivePort');
    const deadline = Date.now() + timeoutMs;
    let wsPath = null;
    for (let i = 0; i < 600 && Date.now() < deadline && exited === null; i++) {
      if (existsSync(portFile)) {
        const [p, path] = readFileSync(portFile, 'utf8').split('\n');
        if (p && path) {
          port = Number(p);
          wsPath = path;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!wsPath) throw new Error(`Chromium did not open its DevTools port (exit: ${exited}); stderr:\n${stderr}`);
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.connectOverCDP(`ws://127.0.0.1:${server.address().port}${wsPath}`, {
      noDefaults: true,
      timeout: timeoutMs,
    });
    const [context] = browser.contexts();
    return {
      browser,
      context,
      pid: child.pid,
      async close() {
        await browser.close().catch(() => undefined);
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
