//! Joint bilateral upsampling (Kopf et al., 2007): every full-resolution pixel averages
//! the 4x4 nearest grid mask values, weighted by spatial distance and by how close the
//! grid's grey guide is to the pixel's own grey. The alternative to the guided filter.

use crate::input::color::luma;
use crate::sampling::grid::GridMapping;
use crate::sampling::taps::AxisTaps;

const RANGE_LUT_LEN: usize = 256;

#[derive(Clone, Debug)]
pub struct JointBilateral {
    /// Spatial standard deviation in grid pixels.
    pub sigma_spatial: f32,
    /// Range standard deviation on grey in [0, 1].
    pub sigma_range: f32,
    range_lut: Vec<f32>,
    mapping: Option<GridMapping>,
    x: AxisTaps,
    y: AxisTaps,
    width: usize,
    guide: Vec<f32>,
    mask: Vec<f32>,
}

impl JointBilateral {
    pub fn new(sigma_spatial: f32, sigma_range: f32) -> Self {
        let range_lut = (0..RANGE_LUT_LEN)
            .map(|i| {
                let d = i as f32 / (RANGE_LUT_LEN - 1) as f32;
                (-(d * d) / (2.0 * sigma_range * sigma_range))
                    .exp()
                    .max(f32::MIN_POSITIVE)
            })
            .collect();
        Self {
            sigma_spatial,
            sigma_range,
            range_lut,
            mapping: None,
            x: AxisTaps::default(),
            y: AxisTaps::default(),
            width: 0,
            guide: Vec::new(),
            mask: Vec::new(),
        }
    }

    /// Keeps this frame's grid guide and mask (both in [0, 1]) and the pixel→grid mapping.
    pub fn prepare(&mut self, guide: &[f32], mask: &[f32], mapping: &GridMapping) {
        if self.mapping.as_ref() != Some(mapping) {
            let m = mapping;
            let s = self.sigma_spatial as f64;
            self.x = AxisTaps::gaussian(
                m.grid_width as usize,
                m.dst_width as usize,
                m.origin_x,
                m.scale,
                s,
            );
            self.y = AxisTaps::gaussian(
                m.grid_height as usize,
                m.dst_height as usize,
                m.origin_y,
                m.scale,
                s,
            );
            self.mapping = Some(*mapping);
        }
        self.width = mapping.grid_width as usize;
        self.guide.clear();
        self.guide.extend_from_slice(guide);
        self.mask.clear();
        self.mask.extend_from_slice(mask);
    }

    pub fn apply_row(&self, rgba: &[u8], y: usize, out: &mut [f32]) {
        let (first_row, wy) = self.y.taps(y);
        let lut_scale = (RANGE_LUT_LEN - 1) as f32;
        for (x, (o, px)) in out.iter_mut().zip(rgba.chunks_exact(4)).enumerate() {
            let grey = luma(px[0] as f32, px[1] as f32, px[2] as f32) * (1.0 / 255.0);
            let (first_col, wx) = self.x.taps(x);
            let (mut num, mut den) = (0.0f32, 0.0f32);
            for (r, &w_r) in wy.iter().enumerate() {
                let base = (first_row + r) * self.width + first_col;
                let (guide, mask) = (
                    &self.guide[base..base + wx.len()],
                    &self.mask[base..base + wx.len()],
                );
                for ((&w_c, &g), &m) in wx.iter().zip(guide).zip(mask) {
                    let bin = (((grey - g).abs() * lut_scale) as usize).min(RANGE_LUT_LEN - 1);
                    let w = w_r * w_c * self.range_lut[bin];
                    num += w * m;
                    den += w;
                }
            }
            *o = (num / den).clamp(0.0, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_follows_the_guide() {
        let guide = [0.1, 0.1, 0.1, 0.9, 0.9, 0.9];
        let mask = [0.0, 0.0, 0.2, 0.8, 1.0, 1.0];
        let map = GridMapping {
            grid_width: 6,
            grid_height: 1,
            dst_width: 24,
            dst_height: 1,
            origin_x: 0.0,
            origin_y: 0.0,
            scale: 0.25,
        };
        let mut jb = JointBilateral::new(1.0, 0.1);
        jb.prepare(&guide, &mask, &map);
        let mut rgba = Vec::new();
        for x in 0..24 {
            let v = if x < 12 { 25 } else { 230 };
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
        let mut q = vec![0.0; 24];
        jb.apply_row(&rgba, 0, &mut q);
        assert!(q[11] < 0.25 && q[12] > 0.75, "{q:?}");
    }
}
