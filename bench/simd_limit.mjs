// The tight wasm SIMD multiply-add loop that measures the browser's peak f32 rate: `K`
// independent accumulators, each doing acc += w_k * v (an f32x4.mul and an f32x4.add, 4
// multiply-adds) per iteration, with v changing every iteration (v = c - v) so nothing is
// loop-invariant. Several K are built: the driver keeps the fastest.

import wabtInit from 'wabt';

function wat(accumulators) {
  const k = [...Array(accumulators).keys()];
  return `(module
  (func (export "run") (param $n i32) (result f32)
    (local $i i32) (local $v v128) (local $c v128)
    ${k.map((i) => `(local $a${i} v128) (local $w${i} v128)`).join(' ')}
    (local.set $v (f32x4.splat (f32.const 0.25)))
    (local.set $c (f32x4.splat (f32.const 1.0)))
    ${k.map((i) => `(local.set $w${i} (f32x4.splat (f32.const ${(1 + i / 16).toFixed(4)})))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ${k.map((i) => `(local.set $a${i} (f32x4.add (local.get $a${i}) (f32x4.mul (local.get $w${i}) (local.get $v))))`).join('\n        ')}
        (local.set $v (f32x4.sub (local.get $c) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (f32x4.extract_lane 0 ${k.slice(1).reduce((acc, i) => `(f32x4.add ${acc} (local.get $a${i}))`, '(local.get $a0)')})))`;
}

/** The loop modules, one per accumulator count: `{accumulators, bytes, macsPerIteration}`. */
export async function simdLimitModules(counts = [4, 6, 8, 12]) {
  const wabt = await wabtInit();
  return counts.map((accumulators) => {
    const module = wabt.parseWat(`simd-${accumulators}.wat`, wat(accumulators), { simd: true });
    const { buffer } = module.toBinary({});
    module.destroy();
    return { accumulators, bytes: [...buffer], macsPerIteration: 4 * accumulators };
  });
}
