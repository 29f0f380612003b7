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
    fn single_sample_grid_is_constant() {
        let a = BilinearAxis::new(1, 3, 0.0, 0.3);
        assert_eq!(a.i0, vec![0, 0, 0]);
        assert_eq!(a.i1, vec![0, 0, 0]);
    }
}
