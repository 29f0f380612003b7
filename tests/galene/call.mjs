// A real Galene call for the tests and the comparison: both supported versions served at
// once inside one network namespace, a receiver that audits every frame it presents, and a
// sender whose tab can be hidden. tests/e2e/galene.test.mjs and tests/galene/compare.mjs
// drive it.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PERSON_Y4M } from '../lib/fixtures.mjs';
import { createNamespace, SERVER_ADDRESS } from './netns.mjs';
import { GALENE_TREES, galeneRequired, GaleneUnavailable, installGalene, prepareServer, startGalene } from './galene.mjs';
import { installGaleneBlur } from './galene-blur.mjs';
import { launchSenderBrowser } from './sender-browser.mjs';
import { AUDIT_SCRIPT, classify } from './frames.mjs';

export const GROUP = 'backdrop-test';
const FIRST_PORT = 8443;

/**
 * Sets up everything a call needs, once: Galene for each supported version (built or
 * cached), a patched static/ copy of each with Galene's own blur installed too, every
 * server started in one namespace, a receiver browser and a sender browser.
 * Returns `{skip}` when Galene cannot be had and is not required, else the call.
 */
export async function setUpCalls({ trees = GALENE_TREES, log = () => {} } = {}) {
  const galenes = [];
  try {
    for (const tree of trees) galenes.push({ tree, galene: await installGalene(tree) });
  } catch (err) {
    if (err instanceof GaleneUnavailable && !galeneRequired()) return { skip: `Galene cannot be installed here: ${err.message}` };
    throw err;
  }
  const call = {
    workDir: mkdtempSync(join(tmpdir(), 'backdrop-galene-')),
    namespace: null,
    servers: [],
    receiverBrowser: null,
    senderBrowser: null,
    async close() {
      await call.senderBrowser?.close().catch(() => undefined);
      await call.receiverBrowser?.close().catch(() => undefined);
      for (const server of call.servers) server.stop();
      call.namespace?.destroy();
      rmSync(call.workDir, { recursive: true, force: true });
    },
  };
  try {
    call.namespace = createNamespace(`backdrop-galene-${process.pid}`);
    for (const [i, { tree, galene }] of galenes.entries()) {
      const workDir = join(call.workDir, tree.id);
      const prepared = await prepareServer(workDir, galene, GROUP);
      const blur = await installGaleneBlur(prepared.staticDir);
      const server = await startGalene({
        namespace: call.namespace, binary: galene.binary, workDir, ...prepared,
        address: SERVER_ADDRESS, port: FIRST_PORT + i, group: GROUP,
      });
      call.servers.push({ tree, ...prepared, ...server, source: galene.source, blurSource: blur.source });
      log(`${tree.label}: ${galene.source}; serving ${server.url}`);
    }
    const extraArgs = [
      // WebRTC needs real addresses in the candidates, and the camera a secure context.
      // Chromium reads a switch once (the last wins): every origin goes in one list.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      `--unsafely-treat-insecure-origin-as-secure=${call.servers.map((s) => s.origin).join(',')}`,
    ];
    // The receiver through tests/lib/browser.mjs (which reads the executable at import).
    process.env.BACKDROP_CHROMIUM = call.namespace.wrap(process.env.BACKDROP_CHROMIUM ?? '/usr/bin/chromium');
    const { launchChromium, recordProblems } = await import('../lib/browser.mjs');
    call.recordProblems = recordProblems;
    call.receiverBrowser = await launchChromium({ fakeCamera: PERSON_Y4M, extraArgs });
    call.senderBrowser = await launchSenderBrowser({ namespace: call.namespace, fakeCamera: PERSON_Y4M, extraArgs });
    return call;
  } catch (err) {
    await call.close();
    throw err;
  }
}

/** Joins the group of `server` in `page`, presenting the camera or not. */
export async function joinGroup(page, server, name, present) {
  await page.goto(server.url);
  await page.waitForSelector('#username', { state: 'visible', timeout: 30_000 });
  await page.fill('#username', name);
  await page.fill('#password', 'anything');
  await page.check(present ? '#presentboth' : '#presentoff');
  await page.click('#connectbutton');
  await page.waitForSelector('#profile:not(.invisible)', { timeout: 30_000 });
}

/**
 * Opens the receiver (its every presented frame audited) and the sender (camera and
 * microphone) in the group of `server`. Returns `{sender, receiver, problems}`.
 */
export async function openCall(call, server) {
  const { recordProblems } = call;
  const receiver = await call.receiverBrowser.newPage({ viewport: { width: 1280, height: 720 } });
  await receiver.addInitScript(AUDIT_SCRIPT);
  const sender = await call.senderBrowser.context.newPage();
  const problems = { sender: recordProblems(sender), receiver: recordProblems(receiver) };
  await joinGroup(sender, server, 'sender', true);
  await joinGroup(receiver, server, 'receiver', false);
  return { sender, receiver, problems };
}

/** The receiver's audit log: `{streams, frames}` (see frames.mjs), frames from index `from`. */
export function auditLog(receiver, from = 0) {
  return receiver.evaluate((from) => window.backdropAudit.read(from), from);
}

/** The serial of the newest stream the receiver has presented a frame of (0 for none). */
export async function latestStream(receiver) {
  return receiver.evaluate(() => window.backdropAudit.latest());
}

/**
 * Waits (bounded) until a frame of a stream newer than `after` is classified as `kind`
 * (classify() in frames.mjs), `count` times in a row. Returns `{frame, stream}` or null.
 */
export async function waitForView(receiver, { after, kind, count = 3, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  let from = 0;
  let run = 0;
  for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
    const { frames } = await auditLog(receiver, from);
    from += frames.length;
    for (const frame of frames) {
      if (frame.stream <= after) continue;
      run = classify(frame) === kind ? run + 1 : 0;
      if (run >= count) return { frame, stream: frame.stream };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

/** Frames per second the receiver presented of `stream` between the two times (epoch ms). */
export function frameRate(frames, stream, from, to) {
  const n = frames.filter((f) => f.stream === stream && f.t >= from && f.t < to).length;
  return n / ((to - from) / 1000);
}

/** The sender's video frames encoded so far, summed over its up streams. */
export function framesEncoded(sender) {
  return sender.evaluate(async () => {
    let total = 0;
    /* global serverConnection */
    for (const id in serverConnection.up) {
      const stats = await serverConnection.up[id].pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') total += s.framesEncoded ?? 0;
      });
    }
    return total;
  });
}

/**
 * What the sender's up streams are doing, for a failure's message: each stream's filter,
 * its video tracks' states, frames encoded, and Backdrop's stats() where a Backdrop
 * filter runs (Galene keeps the filter in the stream's userdata).
 */
export function senderState(sender) {
  return sender.evaluate(async () => {
    const out = [];
    /* global serverConnection */
    for (const id in serverConnection.up) {
      const c = serverConnection.up[id];
      const filter = c.userdata?.filter;
      let encoded = 0;
      try {
        (await c.pc.getStats()).forEach((s) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video') encoded += s.framesEncoded ?? 0;
        });
      } catch { /* the connection is gone */ }
      let backdrop = null;
      try {
        backdrop = filter?.userdata?.backdrop?.stats() ?? null;
      } catch (e) {
        backdrop = `stats() threw: ${e}`;
      }
      out.push({
        id,
        label: c.label,
        filter: filter?.definition?.description ?? null,
        tracks: c.stream?.getVideoTracks().map((t) => ({ state: t.readyState, muted: t.muted, settings: t.getSettings() })),
        input: filter?.inputStream?.getVideoTracks().map((t) => ({ state: t.readyState, muted: t.muted })),
        encoded,
        backdrop,
      });
    }
    return { visibility: document.visibilityState, up: out };
  }).then((state) => JSON.stringify(state), (e) => `(the sender's state could not be read: ${e.message})`);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU milliseconds of every thread of process `pid`, by thread name. */
function threadTimes(pid) {
  const times = { main: 0, worker: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // comm may hold spaces: the fields after it start past the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
      const kind = tid === String(pid) ? 'main' : comm.startsWith('DedicatedWorker') ? 'worker' : 'other';
      times[kind] += ms;
    } catch { /* the thread ended */ }
  }
  return times;
}

/**
 * The sender page's renderer process: of the sender browser's renderers, the one running
 * a dedicated worker (the filter's), else the busiest.
 */
export async function senderRenderer(call) {
  const session = await call.senderBrowser.browser.newBrowserCDPSession();
  try {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const renderers = processInfo.filter((p) => p.type === 'renderer');
    const withWorker = renderers.filter((p) => {
      try {
        return readdirSync(`/proc/${p.id}/task`).some((tid) =>
          readFileSync(`/proc/${p.id}/task/${tid}/comm`, 'utf8').startsWith('DedicatedWorker'));
      } catch {
        return false;
      }
    });
    const pick = (withWorker.length ? withWorker : renderers).sort((a, b) => b.cpuTime - a.cpuTime)[0];
    if (!pick) throw new Error('no renderer process in the sender browser');
    return pick.id;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/**
 * Measures `ms` of the call: the receiver's presented frame rate of its newest stream, and
 * the sender renderer's CPU time per encoded frame (main thread, dedicated workers, the
 * rest). Returns `{fps, stream, frames, sent, cpuMsPerFrame: {main, worker, other}}`.
 */
export async function measure({ call, sender, receiver, ms }) {
  const pid = await senderRenderer(call);
  const stream = await latestStream(receiver);
  const { length: start } = (await auditLog(receiver)).frames;
  const encodedBefore = await framesEncoded(sender);
  const cpuBefore = threadTimes(pid);
  const from = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const to = Date.now();
  const cpuAfter = threadTimes(pid);
  const encodedAfter = await framesEncoded(sender);
  const { frames } = await auditLog(receiver, start);
  const sent = encodedAfter - encodedBefore;
  const perFrame = (k) => (sent > 0 ? (cpuAfter[k] - cpuBefore[k]) / sent : null);
  return {
    fps: frameRate(frames, stream, from, to),
    stream,
    frames: frames.filter((f) => f.stream === stream && f.t >= from && f.t < to),
    sent,
    senderFps: sent / ((to - from) / 1000),
    cpuMsPerFrame: { main: perFrame('main'), worker: perFrame('worker'), other: perFrame('other') },
  };
}

/** Hides the sender's tab behind another page; returns that page. */
export async function hideSender(call, sender) {
  const other = await call.senderBrowser.context.newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  await sender.waitForFunction(() => document.visibilityState === 'hidden', null, { timeout: 10_000 });
  return other;
}

/** Brings the sender's tab back to the front and closes the page that hid it. */
export async function showSender(sender, other) {
  await sender.bringToFront();
  await sender.waitForFunction(() => document.visibilityState === 'visible', null, { timeout: 10_000 });
  await other.close();
}
