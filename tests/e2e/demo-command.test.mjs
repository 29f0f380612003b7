// The README's demo command brings up a page that loads the SIMD wasm build.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, recordProblems } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { PERSON_Y4M } from '../lib/fixtures.mjs';

test('bash scripts/demo.sh serves the demo, which loads the SIMD wasm module', async () => {
  // Exactly the README's command; PORT=0 lets the system pick a free port.
  const server = await startServer({
    command: 'bash',
    args: ['scripts/demo.sh'],
    env: { PORT: '0' },
    timeoutMs: 20 * 60_000, // a fresh machine builds everything first
  });
  after(() => server.stop());
  const browser = await launchChromium({ fakeCamera: PERSON_Y4M });
  after(() => browser.close());
  const page = await browser.newPage();
  const problems = recordProblems(page);
  const wasmRequests = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasmRequests.push(new URL(req.url()).pathname); });

  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30_000 });

  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', problems.join('\n'));
  assert.equal(await page.evaluate(() => document.body.dataset.wasmSimd), 'true');
  await page.waitForFunction(() => document.getElementById('wasm-build').textContent === 'SIMD', null, { timeout: 5_000 });
  assert.ok(wasmRequests.some((p) => p.endsWith('/backdrop_simd_bg.wasm')), `wasm requests: ${wasmRequests}`);
  assert.ok(!wasmRequests.some((p) => p.endsWith('/backdrop_nosimd_bg.wasm')), 'the fallback must not load');
  assert.deepEqual(problems, []);
});
