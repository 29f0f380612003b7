// The Node side of the output auditor (tests/pages/audit.js, run in the harness page):
// read its counts, wait for states, and say what it saw in one line.

import assert from 'node:assert/strict';

/** The page's clock (`performance.now()`), which the auditor's and the states' times use. */
export function pageNow(page) {
  return page.evaluate(() => performance.now());
}

/** The auditor's counts so far: the session's output's (`which`: another auditor the session holds). */
export function auditCounts(page, which = 'audit') {
  return page.evaluate((w) => window.harness.session[w].counts(), which);
}

/** Stops the auditor and returns its final counts. */
export function stopAudit(page, which = 'audit') {
  return page.evaluate((w) => window.harness.session[w].stop(), which);
}

/** The session's statechange log: `[{state, reason, at}]`. */
export function states(page) {
  return page.evaluate(() => window.harness.session.states);
}

/** The session's failclosed events (each failure, also while fail-closed): `[{reason, at}]`. */
export function failures(page) {
  return page.evaluate(() => window.harness.session.failures);
}

/**
 * Waits (polling, bounded by `timeoutMs`) for a state entry `state` at or after page time
 * `after`; returns it. `reason` (a RegExp) must match it, when given.
 */
export async function waitForState(page, state, { after = 0, timeoutMs = 20_000, reason } = {}) {
  const deadline = Date.now() + timeoutMs;
  let log = [];
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    log = await states(page);
    const entry = log.find((e) => e.state === state && e.at >= after && (!reason || reason.test(e.reason)));
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no '${state}' state${reason ? ` with a reason matching ${reason}` : ''} within ${timeoutMs} ms; states: ${JSON.stringify(log)}`);
}

/**
 * Waits until the auditor has seen at least `n` processed frames in a row after page
 * time `after` (the output runs again, not just once). Bounded by `timeoutMs`.
 */
export async function waitProcessedRun(page, { after = 0, n = 10, timeoutMs = 20_000, which = 'audit' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let counts = null;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    counts = await auditCounts(page, which);
    if (counts.runs.some((r) => r.kind === 'processed' && r.to >= after && r.n >= n)) return counts;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no run of ${n} processed frames after ${after} within ${timeoutMs} ms; ${describeAudit(counts)}`);
}

/** When the first run of processed frames that began at or after page time `after` began, or null. */
export function firstProcessedAfter(counts, after) {
  return counts.runs.find((r) => r.kind === 'processed' && r.from >= after)?.from ?? null;
}

/** One line: what the auditor counted. */
export function describeAudit(c) {
  if (!c) return 'no audit';
  return `processed ${c.processed}, privacy ${c.privacy}, leaks ${c.leak}; longest privacy run ${c.longestPrivacyRun} frames (${Math.round(c.longestPrivacyRunMs)} ms); ` +
    `wall-blue share: max ${c.maxWallNotLeak.toFixed(3)} in non-leaks${c.minWallLeak === null ? '' : `, min ${c.minWallLeak.toFixed(3)} in leaks`}; sizes ${Object.entries(c.sizes).map(([size, k]) => `${size}: ${k.processed}/${k.privacy}/${k.leak}`).join(', ')}`;
}

/** Zero leaks, some processed frames, and the auditor itself healthy. */
export function assertNoLeaks(c, what) {
  assert.equal(c.error, null, `${what}: the auditor failed: ${c.error}`);
  assert.equal(c.leak, 0, `${what}: ${c.leak} leaked frames (first ${JSON.stringify(c.firstLeak)}); ${describeAudit(c)}`);
  assert.ok(c.processed > 0, `${what}: no processed frame; ${describeAudit(c)}`);
}
