//! Fast guided filter (He & Sun, 2015): fits, at the model's resolution, a local linear
//! model `mask ≈ a * grey + b` in every window, then evaluates the bilinearly upsampled
//! `a`, `b` against the full-resolution grey frame, so mask edges snap to image edges.

use crate::box_blur::box_blur;
use crate::input::color::luma;
use crate::sampling::grid::{ExpandedGrid, LinearGridSampler};

#[derive(Clone, Debug)]
pub struct GuidedFilter {
    /// Window radius in grid pixels.
    pub radius: usize,
    /// Regularisation: windows whose grey variance is well below it get `a ≈ 0`
    /// (the mask is just smoothed there).
    pub eps: f32,
    stats: Vec<f32>,
    coefs: Vec<f32>,
    scratch: Vec<f32>,
    /// `a` and `b` planes on the grid, then expanded to the frame's width.
    a: Vec<f32>,
    b: Vec<f32>,
    a_rows: ExpandedGrid,
    b_rows: ExpandedGrid,
    a_row: Vec<f32>,
    b_row: Vec<f32>,
}

impl GuidedFilter {
    pub fn new(radius: usize, eps: f32) -> Self {
        Self {
            radius,
            eps,
            stats: Vec::new(),
            coefs: Vec::new(),
            scratch: Vec::new(),
            a: Vec::new(),
            b: Vec::new(),
            a_rows: ExpandedGrid::default(),
            b_rows: ExpandedGrid::default(),
            a_row: Vec::new(),
            b_row: Vec::new(),
        }
    }

    /// Fits the model of `mask` on `guide` (both `width x height`, values in [0, 1]),
    /// for frames whose pixels map onto the grid by `sampler`.
    pub fn fit(
        &mut self,
        guide: &[f32],
        mask: &[f32],
        width: usize,
        height: usize,
        sampler: &LinearGridSampler,
    ) {
        let n = width * height;
        debug_assert!(guide.len() == n && mask.len() == n);
        self.stats.resize(n * 4, 0.0);
        for (s, (&i, &p)) in self.stats.chunks_exact_mut(4).zip(guide.iter().zip(mask)) {
            s.copy_from_slice(&[i, p, i * p, i * i]);
        }
        box_blur::<4>(
            &mut self.stats,
            width,
            height,
            self.radius,
            &mut self.scratch,
        );
        self.coefs.resize(n * 2, 0.0);
        for (c, s) in self
            .coefs
            .chunks_exact_mut(2)
            .zip(self.stats.chunks_exact(4))
        {
            let [mean_i, mean_p, mean_ip, mean_ii] = [s[0], s[1], s[2], s[3]];
            let var_i = (mean_ii - mean_i * mean_i).max(0.0);
            let a = (mean_ip - mean_i * mean_p) / (var_i + self.eps);
            c.copy_from_slice(&[a, mean_p - a * mean_i]);
        }
        box_blur::<2>(
            &mut self.coefs,
            width,
            height,
            self.radius,
            &mut self.scratch,
        );
        self.a.clear();
        self.a.extend(self.coefs.iter().step_by(2));
        self.b.clear();
        self.b.extend(self.coefs.iter().skip(1).step_by(2));
        self.expand(width, sampler);
    }

    fn expand(&mut self, width: usize, sampler: &LinearGridSampler) {
        self.a_rows.expand(&self.a, width, 1, sampler);
        self.b_rows.expand(&self.b, width, 1, sampler);
        self.a_row.resize(sampler.x.len(), 0.0);
        self.b_row.resize(sampler.x.len(), 0.0);
    }

    /// Evaluates the fitted model on row `y` of the full-resolution frame (`rgba`
    /// pixels), writing mask values in [0, 1] to `out`.
    pub fn apply_row(
        &mut self,
        rgba: &[u8],
        y: usize,
        sampler: &LinearGridSampler,
        out: &mut [f32],
    ) {
        self.a_rows.row(&sampler.y, y, &mut self.a_row);
        self.b_rows.row(&sampler.y, y, &mut self.b_row);
        let coefs = self.a_row.iter().zip(&self.b_row);
        for ((o, px), (&a, &b)) in out.iter_mut().zip(rgba.chunks_exact(4)).zip(coefs) {
            // The pixel as one word: byte extraction by shifts vectorises, byte loads do not.
            let word = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
            let channel = |shift: u32| ((word >> shift) & 0xff) as f32;
            let grey = luma(channel(0), channel(8), channel(16)) * (1.0 / 255.0);
            *o = (a * grey + b).clamp(0.0, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refine::linear::LinearUpsampler;
    use crate::sampling::grid::GridMapping;

    #[test]
    fn mask_edge_follows_the_guide_edge_at_full_resolution() {
        // A 16-pixel-wide frame: dark left of x = 7, bright from x = 7. The 4-wide grid
        // only knows the mask is 0 on the left and 1 on the right, with a blurry middle.
        let grid_guide = [0.1, 0.1, 0.9, 0.9];
        let grid_mask = [0.0, 0.3, 0.7, 1.0];
        let mut gf = GuidedFilter::new(1, 1e-4);
        let map = GridMapping {
            grid_width: 4,
            grid_height: 1,
            dst_width: 16,
            dst_height: 1,
            origin_x: 0.0,
            origin_y: 0.0,
            scale: 0.25,
        };
        let sampler = LinearGridSampler::new(&map);
        gf.fit(&grid_guide, &grid_mask, 4, 1, &sampler);
        let mut rgba = Vec::new();
        for x in 0..16 {
            let v = if x < 7 { 25 } else { 230 };
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
        let mut q = vec![0.0; 16];
        gf.apply_row(&rgba, 0, &sampler, &mut q);
        // The transition lands exactly where the frame's edge is: one big step there,
        // small ones elsewhere.
        assert!(q[7] - q[6] > 0.4, "{q:?}");
        assert!(
            (1..16)
                .filter(|&x| x != 7)
                .all(|x| (q[x] - q[x - 1]).abs() < 0.1),
            "{q:?}"
        );
        let mut linear = LinearUpsampler::default();
        linear.fit(&grid_mask, 4, &sampler);
        linear.apply_row(0, &sampler, &mut q);
        assert!(q[7] - q[6] < 0.2, "unguided stays blurry: {q:?}");
    }
}
