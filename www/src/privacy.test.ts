// The privacy frame's pixels: every pixel the privacy colour, none of anything else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solidPixels } from './privacy.js';

test('solidPixels: width × height RGBA pixels, each the colour', () => {
  const pixels = solidPixels(4, 3, '#202124');
  assert.equal(pixels.length, 4 * 3 * 4);
  for (let i = 0; i < pixels.length; i += 4) assert.deepEqual([...pixels.subarray(i, i + 4)], [0x20, 0x21, 0x24, 255]);
  assert.deepEqual([...solidPixels(2, 1, 'transparent')], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...solidPixels(1, 1, '#ff00ff80')], [255, 0, 255, 0x80]);
});

test('solidPixels: a new size or colour is made anew, the same one reused', () => {
  const a = solidPixels(8, 8, '#00b140');
  assert.equal(solidPixels(8, 8, '#00b140'), a);
  const b = solidPixels(8, 8, '#ff00ff');
  assert.notEqual(b, a);
  assert.deepEqual([...b.subarray(0, 4)], [255, 0, 255, 255]);
  assert.equal(solidPixels(2, 8, '#ff00ff').length, 2 * 8 * 4);
});
