//! Bilinear sampling of a low-resolution grid at every pixel of a larger image, done
//! separably: per output row, blend the two grid rows around it ([`lerp_rows`]); per
//! output pixel, blend the two grid columns around it (a precomputed [`BilinearAxis`]).

/// For every output sample along one axis: the two grid samples around it and the
/// weight of the second.
#[derive(Clone, Debug, Default)]
pub struct BilinearAxis {
    pub i0: Vec<u32>,
    pub i1: Vec<u32>,
    pub t: Vec<f32>,
}

impl BilinearAxis {
    /// Output sample `d` (centre `d + 0.5`) lies at grid coordinate
    /// `origin + (d + 0.5) * scale`, grid sample `i` being centred at `i + 0.5`.
    /// Positions beyond the grid's first or last centre clamp to it.
    pub fn new(grid_len: usize, dst_len: usize, origin: f64, scale: f64) -> Self {
        assert!(grid_len > 0, "bilinear axis needs a non-empty grid");
        let last = (grid_len - 1) as f64;
        let mut axis = BilinearAxis {
            i0: Vec::with_capacity(dst_len),
            i1: Vec::with_capacity(dst_len),
            t: Vec::with_capacity(dst_len),
        };
        for d in 0..dst_len {
            let pos = (origin + (d as f64 + 0.5) * scale - 0.5).clamp(0.0, last);
            let i0 = pos.floor();
            let i1 = (i0 + 1.0).min(last);
            axis.i0.push(i0 as u32);
            axis.i1.push(i1 as u32);
            axis.t.push((pos - i0) as f32);
        }
        axis
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

/// How the pixels of a `dst_width x dst_height` image map onto a `grid_width x
/// grid_height` grid: pixel `(x, y)` lies at grid coordinate
/// `(origin_x + (x + 0.5) * scale, origin_y + (y + 0.5) * scale)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridMapping {
    pub grid_width: u32,
    pub grid_height: u32,
    pub dst_width: u32,
    pub dst_height: u32,
    pub origin_x: f64,
    pub origin_y: f64,
    pub scale: f64,
}

/// Both bilinear axes of a [`GridMapping`].
#[derive(Clone, Debug, Default)]
pub struct GridSampler {
    pub x: BilinearAxis,
    pub y: BilinearAxis,
}

impl GridSampler {
    pub fn new(m: &GridMapping) -> Self {
        Self {
            x: BilinearAxis::new(
                m.grid_width as usize,
                m.dst_width as usize,
                m.origin_x,
                m.scale,
            ),
            y: BilinearAxis::new(
                m.grid_height as usize,
                m.dst_height as usize,
                m.origin_y,
                m.scale,
            ),
        }
    }
}

/// A grid whose rows were interpolated across to the output width once per frame (a
/// grid row is shared by many output rows), so that every output row is a contiguous
/// blend of two of them: cheap, and vectorisable.
#[derive(Clone, Debug, Default)]
pub struct ExpandedGrid {
    row_len: usize,
    rows: Vec<f32>,
}

impl ExpandedGrid {
    /// Expands `grid` (rows of `grid_width * channels` interleaved values) along the
    /// sampler's x axis; only the grid rows its y axis reads (letterbox padding is never
    /// read back).
    pub fn expand(
        &mut self,
        grid: &[f32],
        grid_width: usize,
        channels: usize,
        sampler: &GridSampler,
    ) {
        let (axis_x, axis_y) = (&sampler.x, &sampler.y);
        let grid_row_len = grid_width * channels;
        let grid_rows = grid.len() / grid_row_len;
        self.row_len = axis_x.len() * channels;
        self.rows.resize(grid_rows * self.row_len, 0.0);
        let used = match (axis_y.i0.first(), axis_y.i1.last()) {
            (Some(&first), Some(&last)) => first as usize..last as usize + 1,
            _ => 0..0,
        };
        let src_rows = grid
            .chunks_exact(grid_row_len)
            .skip(used.start)
            .take(used.len());
        let dst_rows = self.rows.chunks_exact_mut(self.row_len).skip(used.start);
        for (src, dst) in src_rows.zip(dst_rows) {
            for (x, out) in dst.chunks_exact_mut(channels).enumerate() {
                let (i0, i1, t) = (
                    axis_x.i0[x] as usize * channels,
                    axis_x.i1[x] as usize * channels,
                    axis_x.t[x],
                );
                for (c, o) in out.iter_mut().enumerate() {
                    *o = src[i0 + c] + (src[i1 + c] - src[i0 + c]) * t;
                }
            }
        }
    }

    /// Output row `y`: the blend of the two expanded rows around it.
    #[inline]
    pub fn row(&self, axis_y: &BilinearAxis, y: usize, out: &mut [f32]) {
        let n = self.row_len;
        let (r0, r1) = (axis_y.i0[y] as usize * n, axis_y.i1[y] as usize * n);
        lerp_rows(
            &self.rows[r0..r0 + n],
            &self.rows[r1..r1 + n],
            axis_y.t[y],
            out,
        );
    }
}

/// `out = a + (b - a) * t`, element-wise.
#[inline]
pub fn lerp_rows(a: &[f32], b: &[f32], t: f32, out: &mut [f32]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x + (y - x) * t;
    }
}

/// Fills `out` with grid row `axis_y` position `y` blended from the `grid` (rows of
/// `row_len` values).
#[inline]
pub fn grid_row(grid: &[f32], row_len: usize, axis_y: &BilinearAxis, y: usize, out: &mut [f32]) {
    let r0 = axis_y.i0[y] as usize * row_len;
    let r1 = axis_y.i1[y] as usize * row_len;
    lerp_rows(
        &grid[r0..r0 + row_len],
        &grid[r1..r1 + row_len],
        axis_y.t[y],
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twice_larger_grid_samples_quarter_positions() {
        let a = BilinearAxis::new(2, 4, 0.0, 0.5);
        assert_eq!(a.i0, vec![0, 0, 0, 1]);
        assert_eq!(a.t, vec![0.0, 0.25, 0.75, 0.0]);
        assert_eq!(a.i1, vec![1, 1, 1, 1]);
    }

    #[test]
    fn expanded_grid_matches_direct_bilinear() {
        // A 3x2 grid of 2 channels sampled onto 7x5.
        let grid: Vec<f32> = (0..12).map(|v| (v * v) as f32).collect();
        let map = GridMapping {
            grid_width: 3,
            grid_height: 2,
            dst_width: 7,
            dst_height: 5,
            origin_x: 0.1,
            origin_y: -0.2,
            scale: 0.4,
        };
        let s = GridSampler::new(&map);
        let mut e = ExpandedGrid::default();
        e.expand(&grid, 3, 2, &s);
        let mut row = vec![0.0; 14];
        let mut vertical = vec![0.0; 6];
        for y in 0..5 {
            e.row(&s.y, y, &mut row);
            grid_row(&grid, 6, &s.y, y, &mut vertical);
            for x in 0..7 {
                for c in 0..2 {
                    let (a, b) = (
                        vertical[s.x.i0[x] as usize * 2 + c],
                        vertical[s.x.i1[x] as usize * 2 + c],
                    );
                    let direct = a + (b - a) * s.x.t[x];
                    assert!((row[x * 2 + c] - direct).abs() < 1e-3, "({x},{y},{c})");
                }
            }
        }
    }

    #[test]
    fn single_sample_grid_is_constant() {
        let a = BilinearAxis::new(1, 3, 0.0, 0.3);
        assert_eq!(a.i0, vec![0, 0, 0]);
        assert_eq!(a.i1, vec![0, 0, 0]);
    }
}
