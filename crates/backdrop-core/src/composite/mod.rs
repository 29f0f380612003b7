//! The last stage: the output frame from the input frame and the 8-bit mask (255 =
//! person). Each mode is one module; all write packed RGBA into the caller's buffer.

pub mod blur;
pub mod remove;
pub mod replace;

/// `fg * m + bg * (1 - m)` on 8-bit values with `m` in 0..=255, rounded. Exact at the
/// ends: `m = 255` gives `fg`, `m = 0` gives `bg`.
#[inline]
pub(crate) fn mix(fg: u8, bg: u8, m: u8) -> u8 {
    let m = m as u32;
    ((fg as u32 * m + bg as u32 * (255 - m) + 127) / 255) as u8
}

#[cfg(test)]
mod tests {
    use super::mix;

    #[test]
    fn mix_is_exact_at_the_ends_and_rounds_between() {
        for fg in [0u8, 1, 77, 255] {
            for bg in [0u8, 200, 255] {
                assert_eq!(mix(fg, bg, 255), fg);
                assert_eq!(mix(fg, bg, 0), bg);
            }
        }
        assert_eq!(mix(255, 0, 128), 128);
    }
}
