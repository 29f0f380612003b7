// More sources than a camera: a track received over WebRTC (the fake camera sent from one
// RTCPeerConnection to another in the same page, no server) goes through
// backdrop.process(); the output shows the removal colour in the background corners and
// keeps the person's face, at the received track's size. Both frame paths are checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordProblems } from '../lib/browser.mjs';
import { REGIONS, sampleVideo, eventually } from '../lib/pixels.mjs';
import { openHarness, stats } from '../lib/harness.mjs';
import { useServerAndBrowser } from '../lib/setup.mjs';

const MAGENTA = [255, 0, 255];

const env = useServerAndBrowser('harness');

for (const path of ['insertable-streams', 'canvas']) {
  test(`a track received over a loopback RTCPeerConnection is processed (${path})`, async () => {
    const page = await openHarness(env.browser, env.server.url, { source: 'webrtc', path, mode: 'remove', color: '#ff00ff' });
    const problems = recordProblems(page);
    const frame = await eventually(async () => {
      const s = await stats(page);
      const left = await sampleVideo(page, '#processed', REGIONS.backgroundTopLeft, MAGENTA);
      const right = await sampleVideo(page, '#processed', REGIONS.backgroundTopRight, MAGENTA);
      const person = await sampleVideo(page, '#processed', REGIONS.person, MAGENTA);
      const ok = s.framesProcessed > 10 && left?.size[0] === 640 && left?.fraction > 0.9 && right?.fraction > 0.9 && person?.fraction < 0.05;
      return { ok, left, right, person, framesProcessed: s.framesProcessed, state: s.state };
    }, { what: 'received frames processed: background the removal colour, the face kept', timeoutMs: 40_000 });
    const [r, , b] = frame.person.mean;
    assert.ok(r > b, `the face is skin-coloured, not the blue wall: mean ${frame.person.mean}`);
    const info = await page.evaluate(() => {
      const { backdrop, input } = window.harness.session;
      return { stats: backdrop.stats(), kind: input.kind };
    });
    assert.equal(info.kind, 'video');
    assert.equal(info.stats.path, path);
    assert.equal(info.stats.state, 'running');
    assert.deepEqual(frame.left.size, [640, 480]);
    assert.deepEqual(problems, []);
    await page.close();
  });
}
