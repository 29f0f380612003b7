// Backdrop in real Galene calls, on each version galene-patch/ supports (1.1 and master
// 9e03b36): Galene built from ../shared/vendor/galene/ (or `go install`), the patch
// installed with install.sh, Galene's own blur installed as Galene documents it, every
// server and both Chromium clients inside a private network namespace (root only). The
// receiver samples every frame it presents (tests/galene/frames.mjs); the sender's tab can
// really be hidden (tests/galene/sender-browser.mjs). For each version:
//
// 1. "Remove background" on: the remove colour behind the person; blur and replace from
//    the filter menu mid-call; off: the camera's wall is back. No frame of Backdrop's
//    streams is the camera's picture.
// 2. Privacy audit: from the first frame of the stream, no frame shows the wall; with the
//    model answering 404, then truncated, the receiver gets only the privacy frame and the
//    sender's page says why.
// 3. Hidden sender tab: Backdrop's blur keeps ≥ 90% of its visible frame rate (before and
//    after) over 20 s; Galene's own blur is measured the same way (both printed).
// 4. Reload: the choice is remembered; the first frames after it are privacy frames, then
//    processed ones, never the camera's.
//
// BACKDROP_REQUIRE_GALENE=1 (the default where ../shared/vendor/galene/ exists) fails
// instead of skipping when Galene cannot be had.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { namespaceSupport } from '../galene/netns.mjs';
import { GALENE_TREES, galeneRequired } from '../galene/galene.mjs';
import {
  auditLog, hideSender, joinGroup, latestStream, measure, openCall, senderState, setUpCalls, showSender, waitForView,
} from '../galene/call.mjs';
import { classify, showsWall, tally } from '../galene/frames.mjs';

/** Seconds of each frame-rate window (the issue: the hidden window is 20 s). */
const VISIBLE_MS = 8_000;
const HIDDEN_MS = 20_000;
/** How long the failing-model phases watch the receiver after the stream's first frame. */
const FAILURE_WATCH_MS = 5_000;
const VIEW_TIMEOUT_MS = 60_000;

let call = null;
let skip = null;

before(async () => {
  const support = namespaceSupport();
  if (!support.ok) {
    if (galeneRequired()) throw new Error(`BACKDROP_REQUIRE_GALENE=1 but ${support.why}`);
    skip = support.why;
    return;
  }
  const result = await setUpCalls({ log: (line) => console.log(`# ${line}`) });
  if (result.skip) skip = result.skip;
  else call = result;
}, { timeout: 40 * 60_000 });

after(() => call?.close());
// Clean up the namespace and browsers even when the run is interrupted.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    Promise.resolve(call?.close()).finally(() => process.exit(130));
  });
}

/** Per version: the open call (sender and receiver pages), kept between its tests. */
const sessions = new Map();

async function context(session) {
  const server = call.servers.find((s) => s.tree === session.tree);
  return `\nsender's streams: ${await senderState(session.sender)}\nsender: ${session.problems.sender.slice(-15).join('\n')}\nreceiver: ${session.problems.receiver.slice(-15).join('\n')}\ngalene: ${server.output.slice(-2000)}`;
}

/** The call on `tree`, opened once; the side menu open, the filter off, the camera seen. */
async function session(tree) {
  let s = sessions.get(tree);
  if (!s) {
    const server = call.servers.find((x) => x.tree === tree);
    s = { tree, server, ...(await openCall(call, server)) };
    sessions.set(tree, s);
    await s.sender.click('#openside');
    await s.sender.waitForSelector('#backdropbox', { state: 'visible', timeout: 15_000 });
  }
  // The camera as it is, on a stream newer than any before (not a raw frame of the past).
  let after = 0;
  if ((await s.sender.inputValue('#filterselect')) !== '') {
    after = await latestStream(s.receiver);
    await s.sender.selectOption('#filterselect', '');
  }
  const seen = await waitForView(s.receiver, { after, kind: 'raw', timeoutMs: VIEW_TIMEOUT_MS });
  if (!seen) assert.fail(`the receiver never showed the camera${await context(s)}`);
  return s;
}

/** Runs `action` on the sender and waits for the receiver to show `kind` on a new stream. */
async function switchAndSee(s, action, kind, what) {
  const mark = await latestStream(s.receiver);
  const started = Date.now();
  await action();
  const seen = await waitForView(s.receiver, { after: mark, kind, timeoutMs: VIEW_TIMEOUT_MS });
  if (!seen) {
    const { frames } = await auditLog(s.receiver);
    assert.fail(`${what}: the receiver never showed '${kind}'; last frames ${JSON.stringify(frames.slice(-3))}${await context(s)}`);
  }
  return { mark, stream: seen.stream, ms: Date.now() - started };
}

/** Frames of the streams numbered in (after, upTo]. */
async function framesOf(s, after, upTo = Infinity) {
  const { frames } = await auditLog(s.receiver);
  return frames.filter((f) => f.stream > after && f.stream <= upTo);
}

function describeFrame(f) {
  return JSON.stringify({ stream: f.stream, kind: classify(f), background: f.background, centre: f.centre, sharp: f.sharp });
}

const settings = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('settings') || '{}'));

/** The model files of the package installed in the server's static/ folder. */
function modelFiles(server) {
  const dir = join(server.staticDir, 'third-party', 'backdrop', 'pkg', 'models');
  return readdirSync(dir).filter((f) => f.endsWith('.onnx')).map((f) => join(dir, f));
}

/**
 * Keeps the text of every toast Galene shows on `page` from now on (in `window.toastsSeen`).
 * Galene's toasts last 4 s, less than a new stream can take to reach the receiver on a
 * busy machine, so a test that looked for the toast only afterwards could miss it.
 */
async function recordToasts(page) {
  await page.evaluate(() => {
    if (window.toastsSeen) return;
    window.toastsSeen = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.classList.contains('toastify')) window.toastsSeen.push(node.textContent);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
}

/** The first toast since `from` (an index into what `recordToasts` kept) whose text has `needle`. */
async function toastSeen(page, from, needle, timeoutMs) {
  const handle = await page.waitForFunction(
    ([from, needle]) => window.toastsSeen.slice(from).find((text) => text.includes(needle)),
    [from, needle],
    { timeout: timeoutMs },
  );
  return handle.jsonValue();
}

async function clearSenderCache(s) {
  const cdp = await s.sender.context().newCDPSession(s.sender);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

for (const tree of GALENE_TREES) {
  test(`${tree.label}: "Remove background" in a call: removed, then blur and replace mid-call, then off`, { timeout: 5 * 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const s = await session(tree);
    assert.equal(await s.sender.isChecked('#backdropbox'), false);

    const remove = await switchAndSee(s, () => s.sender.check('#backdropbox'), 'removed', 'remove');
    assert.equal(await s.sender.inputValue('#filterselect'), 'backdrop-remove');
    const blur = await switchAndSee(s, () => s.sender.selectOption('#filterselect', 'backdrop-blur'), 'blurred', 'blur');
    assert.equal(await s.sender.isChecked('#backdropbox'), true);
    const replace = await switchAndSee(s, () => s.sender.selectOption('#filterselect', 'backdrop-replace'), 'replaced', 'replace');
    assert.deepEqual(
      { filter: (await settings(s.sender)).filter, backdropFilter: (await settings(s.sender)).backdropFilter },
      { filter: 'backdrop-replace', backdropFilter: 'backdrop-replace' },
    );
    const off = await switchAndSee(s, () => s.sender.uncheck('#backdropbox'), 'raw', 'off');
    assert.equal(await s.sender.inputValue('#filterselect'), '');

    // Every frame of Backdrop's streams, from the first: never the camera's picture; in
    // remove and replace mode, never the wall at all.
    const frames = await framesOf(s, remove.mark, off.mark);
    for (const f of frames) {
      assert.notEqual(classify(f), 'raw', `a frame of Backdrop's streams is the camera's: ${describeFrame(f)}`);
      if (f.stream <= blur.mark || f.stream > replace.mark) {
        assert.ok(!showsWall(f), `the wall came through in remove or replace mode: ${describeFrame(f)}`);
      }
    }
    t.diagnostic(`${tree.label}: removed ${remove.ms} ms after the switch, blur ${blur.ms} ms, replace ${replace.ms} ms, ` +
      `camera back ${off.ms} ms; ${frames.length} frames of Backdrop's streams: ${JSON.stringify(tally(frames))}`);
    for (const page of [s.sender, s.receiver]) {
      if (!(await page.isVisible('#profile'))) assert.fail(`a client left the call${await context(s)}`);
    }
  });

  test(`${tree.label}: privacy audit: no frame shows the wall from the stream's first; a failing model gives only the privacy frame and says why`, { timeout: 5 * 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const s = await session(tree);

    const on = await switchAndSee(s, () => s.sender.selectOption('#filterselect', 'backdrop-remove'), 'removed', 'remove');
    await new Promise((r) => setTimeout(r, 2_000));
    const audited = await framesOf(s, on.mark);
    const walls = audited.filter(showsWall);
    assert.equal(walls.length, 0, `frames with the wall: ${walls.slice(0, 3).map(describeFrame).join('\n')}`);
    const missed = audited.reduce((n, f, i) => n + (i && f.stream === audited[i - 1].stream ? Math.max(0, f.presented - audited[i - 1].presented - 1) : 0), 0);
    t.diagnostic(`${tree.label}: ${audited.length} frames audited from the first of the stream (${JSON.stringify(tally(audited))}), ` +
      `${walls.length} with the wall, ${missed} presented without a callback; ` +
      `${(await auditLog(s.receiver)).switched} frames in the whole call came as srcObject changed and belong to no stream for sure`);

    const models = modelFiles(s.server);
    const failures = [
      { what: '404', reason: /404/, break: () => models.forEach((m) => renameSync(m, `${m}.away`)) },
      {
        what: 'truncated file',
        reason: /not working/,
        break: () => models.forEach((m) => writeFileSync(m, readFileSync(`${m}.away`).subarray(0, statSync(`${m}.away`).size >> 1))),
      },
    ];
    try {
      for (const failure of failures) {
        await switchAndSee(s, () => s.sender.selectOption('#filterselect', ''), 'raw', `off before the ${failure.what}`);
        failure.break();
        await clearSenderCache(s);
        const mark = await latestStream(s.receiver);
        await recordToasts(s.sender);
        const toastsBefore = await s.sender.evaluate(() => window.toastsSeen.length);
        await s.sender.selectOption('#filterselect', 'backdrop-remove');
        const first = await waitForView(s.receiver, { after: mark, kind: 'privacy', count: 1, timeoutMs: VIEW_TIMEOUT_MS });
        if (!first) assert.fail(`model ${failure.what}: no frame of a new stream reached the receiver${await context(s)}`);
        const message = await toastSeen(s.sender, toastsBefore, 'Background removal is not working', 30_000);
        assert.match(message, failure.reason);
        await new Promise((r) => setTimeout(r, FAILURE_WATCH_MS));
        const frames = await framesOf(s, mark);
        const notPrivacy = frames.filter((f) => classify(f) !== 'privacy');
        assert.equal(notPrivacy.length, 0, `model ${failure.what}: frames other than the privacy frame: ${notPrivacy.slice(0, 3).map(describeFrame).join('\n')}`);
        t.diagnostic(`${tree.label}: model ${failure.what}: ${frames.length} frames, all the solid privacy frame; the sender shows "${message.replace(/\s*✖\s*$/, '').trim()}"`);
      }
    } finally {
      for (const m of models) {
        rmSync(m, { force: true });
        renameSync(`${m}.away`, m);
      }
      await clearSenderCache(s);
    }
  });

  test(`${tree.label}: a hidden sender tab keeps Backdrop's frame rate (≥ 90% of visible over 20 s); Galene's own blur measured the same way`, { timeout: 6 * 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const s = await session(tree);
    /**
     * Visible, hidden, visible again: the hidden rate against the mean of the two visible
     * windows. When those two differ by more than VISIBLE_SPREAD the machine's load
     * changed during the measurement (other work on the cores), which says nothing about
     * the tab: then, and only then, it is measured once more.
     */
    const VISIBLE_SPREAD = 0.25;
    const measureHidden = async (label) => {
      const before = await measure({ call, sender: s.sender, receiver: s.receiver, ms: VISIBLE_MS });
      const other = await hideSender(call, s.sender);
      let hidden;
      try {
        assert.equal(await s.sender.evaluate(() => document.visibilityState), 'hidden');
        hidden = await measure({ call, sender: s.sender, receiver: s.receiver, ms: HIDDEN_MS });
        assert.equal(await s.sender.evaluate(() => document.visibilityState), 'hidden', 'the sender became visible while measured');
      } finally {
        await showSender(s.sender, other);
      }
      const after = await measure({ call, sender: s.sender, receiver: s.receiver, ms: VISIBLE_MS });
      assert.equal(hidden.stream, before.stream, `${label}: the stream changed while the tab was hidden`);
      const visibleFps = (before.fps + after.fps) / 2;
      const steady = Math.abs(before.fps - after.fps) <= VISIBLE_SPREAD * Math.max(before.fps, after.fps);
      t.diagnostic(`${tree.label}: ${label}: receiver ${before.fps.toFixed(1)} and ${after.fps.toFixed(1)} fps visible ` +
        `(${VISIBLE_MS / 1000} s before and after), ${hidden.fps.toFixed(1)} fps hidden (${HIDDEN_MS / 1000} s) = ` +
        `${((100 * hidden.fps) / visibleFps).toFixed(0)}%${steady ? '' : ' (the visible rate moved: load on the machine)'}`);
      return { visibleFps, hidden, steady };
    };
    const results = {};
    for (const [name, label] of [['backdrop-blur', "Backdrop's blur"], ['background-blur', "Galene's blur"]]) {
      await switchAndSee(s, () => s.sender.selectOption('#filterselect', name), 'blurred', label);
      await new Promise((r) => setTimeout(r, 2_000)); // past the first frames and any quality step
      let result = await measureHidden(label);
      if (name === 'backdrop-blur' && !result.steady && result.hidden.fps < 0.9 * result.visibleFps) {
        result = await measureHidden(`${label}, measured again`);
      }
      results[name] = result;
    }
    const { visibleFps, hidden } = results['backdrop-blur'];
    assert.ok(visibleFps >= 5, `Backdrop's blur reached the receiver at only ${visibleFps.toFixed(1)} fps`);
    assert.ok(hidden.fps >= 0.9 * visibleFps,
      `hidden: ${hidden.fps.toFixed(1)} fps, under 90% of the visible ${visibleFps.toFixed(1)} fps`);
    const raw = hidden.frames.filter((f) => classify(f) === 'raw');
    assert.equal(raw.length, 0, `camera frames while hidden: ${raw.slice(0, 2).map(describeFrame).join('\n')}`);
  });

  test(`${tree.label}: after a reload "Remove background" is on again, privacy frames first, never the camera's`, { timeout: 5 * 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const s = await session(tree);
    // From Galene's own blur to ours: fail closed at that switch too.
    await switchAndSee(s, () => s.sender.selectOption('#filterselect', 'background-blur'), 'blurred', 'Galene\'s blur');
    const back = await switchAndSee(s, () => s.sender.selectOption('#filterselect', 'backdrop-remove'), 'removed', 'from Galene\'s blur to remove');
    const switched = (await framesOf(s, back.mark)).filter(showsWall);
    assert.equal(switched.length, 0, `the wall came through at the switch from Galene's blur: ${switched.slice(0, 3).map(describeFrame).join('\n')}`);

    const mark = await latestStream(s.receiver);
    await s.sender.reload();
    await joinGroup(s.sender, s.server, 'sender', true);
    const seen = await waitForView(s.receiver, { after: mark, kind: 'removed', timeoutMs: VIEW_TIMEOUT_MS });
    if (!seen) assert.fail(`after the reload the receiver never showed the removed background${await context(s)}`);
    const frames = await framesOf(s, mark);
    const firstProcessed = frames.findIndex((f) => classify(f) === 'removed');
    const before = frames.slice(0, firstProcessed);
    const notPrivacy = before.filter((f) => classify(f) !== 'privacy');
    assert.equal(notPrivacy.length, 0, `before the first processed frame: ${notPrivacy.slice(0, 3).map(describeFrame).join('\n')}`);
    const walls = frames.filter(showsWall);
    assert.equal(walls.length, 0, `frames with the wall after the reload: ${walls.slice(0, 3).map(describeFrame).join('\n')}`);

    await s.sender.click('#openside');
    await s.sender.waitForSelector('#backdropbox', { state: 'visible', timeout: 15_000 });
    assert.equal(await s.sender.isChecked('#backdropbox'), true, 'the checkbox is not ticked after the reload');
    assert.equal(await s.sender.inputValue('#filterselect'), 'backdrop-remove');
    t.diagnostic(`${tree.label}: after the reload ${before.length} privacy frames, then processed frames; ${frames.length} frames audited, none with the wall`);
    t.diagnostic(`${tree.label}: the sender after the reload: ${await senderState(s.sender)}`);
    await s.sender.selectOption('#filterselect', '');
  });
}
