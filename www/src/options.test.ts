// mergeOptions (every option's validation) and the colours it accepts, as parseColor reads them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_OPTIONS, mergeOptions, type BackdropOptions } from './options.js';
import { parseColor, privacyColor, PRIVACY_GREY } from './privacy.js';

const defaults: BackdropOptions = { ...DEFAULT_OPTIONS };

test('the defaults are valid and are those www/README.md lists', () => {
  assert.deepEqual(mergeOptions(defaults, {}), defaults);
  assert.deepEqual(
    { ...DEFAULT_OPTIONS },
    {
      mode: 'blur', blurStrength: 0.5, edgeSoftness: 0.3, color: '#00b140', backgroundImage: null, model: 'auto',
      refinement: 'guided', people: 'main', temporalSmoothing: 0.9, lightWrap: 0.3, maxFrameDelayMs: 1000, quality: 'auto',
    },
  );
  assert.ok(Object.isFrozen(DEFAULT_OPTIONS));
});

test('changes merge into the current options without changing them', () => {
  const next = mergeOptions(defaults, { mode: 'remove', color: '#ff00ff', quality: 2 });
  assert.equal(next.mode, 'remove');
  assert.equal(next.color, '#ff00ff');
  assert.equal(next.quality, 2);
  assert.equal(next.blurStrength, 0.5);
  assert.equal(defaults.mode, 'blur');
});

test('each bad value throws a TypeError or RangeError naming it', () => {
  const cases: [Partial<BackdropOptions>, ErrorConstructor, RegExp][] = [
    [{ mode: 'erase' as never }, TypeError, /unknown mode 'erase'/],
    [{ model: 'tiny' as never }, TypeError, /unknown model 'tiny'/],
    [{ refinement: 'sharp' as never }, TypeError, /unknown refinement 'sharp'/],
    [{ people: 'some' as never }, TypeError, /unknown people 'some' \(expected main, all\)/],
    [{ color: 'red' }, TypeError, /color 'red'/],
    [{ color: '#12345' }, TypeError, /color '#12345'/],
    [{ color: 7 as never }, TypeError, /color '7'/],
    [{ blurStrength: 1.5 }, RangeError, /blurStrength must be a number from 0 to 1, got 1.5/],
    [{ edgeSoftness: -0.1 }, RangeError, /edgeSoftness/],
    [{ temporalSmoothing: 0.96 }, RangeError, /temporalSmoothing must be a number from 0 to 0.95/],
    [{ blurStrength: Number.NaN }, RangeError, /blurStrength/],
    [{ maxFrameDelayMs: 0 }, RangeError, /maxFrameDelayMs must be a positive number, got 0/],
    [{ maxFrameDelayMs: '500' as never }, RangeError, /maxFrameDelayMs/],
    [{ maxFrameDelayMs: Number.POSITIVE_INFINITY }, RangeError, /maxFrameDelayMs/],
    [{ blurStrength: '0.5' as never }, RangeError, /blurStrength/],
    [{ quality: 'best' as never }, TypeError, /quality must be 'auto' or a tier number/],
    [{ quality: 5 }, RangeError, /tier from 0 to 4, got 5/],
    [{ quality: 1.5 }, RangeError, /got 1.5/],
    [{ quality: null as never }, TypeError, /quality/],
    [{ backgroundImage: 'office.png' as never }, TypeError, /backgroundImage must be an ImageBitmap or null/],
    [{ debugSlowdown: 2 } as never, TypeError, /unknown option 'debugSlowdown'/],
    [{ blurStrenght: 0.5 } as never, TypeError, /unknown option 'blurStrenght' \(expected mode, blurStrength/],
    [{ mode: 'replace' }, TypeError, /mode 'replace' needs a backgroundImage/],
  ];
  for (const [changes, type, message] of cases) {
    assert.throws(() => mergeOptions(defaults, changes), (err: unknown) => err instanceof type && message.test((err as Error).message), JSON.stringify(changes));
  }
});

test('colours: #rrggbb, #rrggbbaa (either case) and transparent', () => {
  for (const color of ['#00b140', '#FF00ff', '#00b14080', 'transparent']) {
    assert.equal(mergeOptions(defaults, { color }).color, color);
  }
  assert.deepEqual(parseColor('#00b140'), [0x00, 0xb1, 0x40, 255]);
  assert.deepEqual(parseColor('#FF00ff'), [255, 0, 255, 255]);
  assert.deepEqual(parseColor('#00b14080'), [0x00, 0xb1, 0x40, 0x80]);
  assert.deepEqual(parseColor('transparent'), [0, 0, 0, 0]);
});

test('the privacy colour: the remove colour in remove mode, dark grey otherwise', () => {
  assert.equal(privacyColor({ mode: 'remove', color: '#ff00ff' }), '#ff00ff');
  assert.equal(privacyColor({ mode: 'remove', color: 'transparent' }), 'transparent');
  assert.equal(privacyColor({ mode: 'blur', color: '#ff00ff' }), PRIVACY_GREY);
  assert.equal(privacyColor({ mode: 'replace', color: '#ff00ff' }), '#202124');
});
