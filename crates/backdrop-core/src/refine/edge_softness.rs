//! The last step of the mask: a smoothstep ramp centred on probability 0.5 turns the
//! refined mask into 8-bit coverage. Softness 0 gives a crisp edge (ramp 0.1 wide),
//! 1 the widest ramp (the whole 0..1 range). Values below the ramp are exactly 0
//! (pure background) and above it exactly 255 (pure person).

use crate::round::round_to_byte;

#[derive(Clone, Debug)]
pub struct EdgeSoftness {
    softness: f32,
    low: f32,
    inverse_width: f32,
}

impl EdgeSoftness {
    pub fn new(softness: f32) -> Self {
        let softness = softness.clamp(0.0, 1.0);
        let width = 0.1 + 0.9 * softness;
        Self {
            softness,
            low: 0.5 - width / 2.0,
            inverse_width: 1.0 / width,
        }
    }

    pub fn softness(&self) -> f32 {
        self.softness
    }

    /// Maps mask values in [0, 1] to coverage 0..=255.
    #[inline]
    pub fn apply_row(&self, mask: &[f32], out: &mut [u8]) {
        for (o, &q) in out.iter_mut().zip(mask) {
            let t = ((q - self.low) * self.inverse_width).clamp(0.0, 1.0);
            *o = round_to_byte(255.0 * t * t * (3.0 - 2.0 * t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_is_centred_and_saturates() {
        let crisp = EdgeSoftness::new(0.0);
        let soft = EdgeSoftness::new(1.0);
        let mut out = [0u8; 5];
        crisp.apply_row(&[0.0, 0.44, 0.5, 0.56, 1.0], &mut out);
        assert_eq!(out[0], 0);
        assert_eq!(out[1], 0);
        assert!((127..=128).contains(&out[2]));
        assert_eq!(out[3], 255);
        assert_eq!(out[4], 255);
        soft.apply_row(&[0.0, 0.25, 0.5, 0.75, 1.0], &mut out);
        assert_eq!(out[0], 0);
        assert!(out[1] > 20 && out[1] < 60, "{out:?}");
        assert_eq!(out[4], 255);
    }
}
