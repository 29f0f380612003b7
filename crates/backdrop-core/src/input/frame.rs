//! Input frames as a browser hands them over, validated once at construction so every
//! later stage can index them without checks: RGBA8 with a row stride (a canvas'
//! `ImageData`, `VideoFrame.copyTo` in RGBA) and planar I420 (what a camera
//! `VideoFrame` usually holds).

use anyhow::{ensure, Result};

use crate::input::color::YuvColorSpace;

/// Largest accepted width or height. Far above any camera, small enough that
/// `width * height * 4` never overflows, even on 32-bit wasm.
pub const MAX_DIMENSION: u32 = 8192;

fn check_dimensions(what: &str, width: u32, height: u32) -> Result<()> {
    ensure!(
        width > 0 && height > 0,
        "{what} frame has a zero size ({width}x{height})"
    );
    ensure!(
        width <= MAX_DIMENSION && height <= MAX_DIMENSION,
        "{what} frame is {width}x{height}, larger than the supported {MAX_DIMENSION}x{MAX_DIMENSION}"
    );
    Ok(())
}

/// Bytes a plane of `rows` rows of `row_bytes` bytes each needs with the given stride
/// (the last row needs no padding).
fn plane_len(stride: usize, row_bytes: usize, rows: usize) -> usize {
    stride * (rows - 1) + row_bytes
}

/// An RGBA8 image (non-premultiplied alpha), rows `stride` bytes apart.
#[derive(Clone, Copy, Debug)]
pub struct RgbaFrame<'a> {
    data: &'a [u8],
    width: u32,
    height: u32,
    stride: usize,
}

impl<'a> RgbaFrame<'a> {
    /// Wraps `data` holding `height` rows of `width` RGBA pixels, `stride` bytes apart.
    pub fn new(data: &'a [u8], width: u32, height: u32, stride: usize) -> Result<Self> {
        check_dimensions("RGBA", width, height)?;
        let row_bytes = width as usize * 4;
        ensure!(
            stride >= row_bytes,
            "RGBA frame stride {stride} is smaller than width*4 = {row_bytes} ({width}x{height})"
        );
        let needed = plane_len(stride, row_bytes, height as usize);
        ensure!(
            data.len() >= needed,
            "RGBA buffer holds {} bytes but a {width}x{height} frame with stride {stride} needs {needed}",
            data.len()
        );
        Ok(Self {
            data,
            width,
            height,
            stride,
        })
    }

    /// Wraps a tightly packed buffer, which must hold exactly `width * height * 4` bytes.
    pub fn packed(data: &'a [u8], width: u32, height: u32) -> Result<Self> {
        check_dimensions("RGBA", width, height)?;
        let needed = width as usize * height as usize * 4;
        ensure!(
            data.len() == needed,
            "RGBA buffer holds {} bytes but a packed {width}x{height} frame is {needed} bytes",
            data.len()
        );
        Ok(Self {
            data,
            width,
            height,
            stride: width as usize * 4,
        })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The `width * 4` bytes of row `y`.
    #[inline]
    pub fn row(&self, y: usize) -> &'a [u8] {
        let start = y * self.stride;
        &self.data[start..start + self.width as usize * 4]
    }
}

/// One plane of a planar YUV frame.
#[derive(Clone, Copy, Debug)]
pub struct Plane<'a> {
    pub data: &'a [u8],
    pub stride: usize,
}

impl<'a> Plane<'a> {
    pub fn new(data: &'a [u8], stride: usize) -> Self {
        Self { data, stride }
    }
}

/// An 8-bit I420 (YUV 4:2:0) frame: full-size Y, and U and V of `ceil(w/2) x ceil(h/2)`.
#[derive(Clone, Copy, Debug)]
pub struct I420Frame<'a> {
    y: Plane<'a>,
    u: Plane<'a>,
    v: Plane<'a>,
    width: u32,
    height: u32,
    color_space: YuvColorSpace,
}

impl<'a> I420Frame<'a> {
    /// Wraps three planes; the colour space defaults to BT.601 limited range, what
    /// cameras deliver for SD sizes (see [`I420Frame::with_color_space`]).
    pub fn new(width: u32, height: u32, y: Plane<'a>, u: Plane<'a>, v: Plane<'a>) -> Result<Self> {
        check_dimensions("I420", width, height)?;
        let (cw, ch) = chroma_size(width, height);
        for (name, plane, w, h) in [("Y", y, width, height), ("U", u, cw, ch), ("V", v, cw, ch)] {
            ensure!(
                plane.stride >= w as usize,
                "I420 {name} plane stride {} is smaller than its width {w} ({width}x{height} frame)",
                plane.stride
            );
            let needed = plane_len(plane.stride, w as usize, h as usize);
            ensure!(
                plane.data.len() >= needed,
                "I420 {name} plane holds {} bytes but needs {needed} for a {width}x{height} frame (stride {})",
                plane.data.len(),
                plane.stride
            );
        }
        Ok(Self {
            y,
            u,
            v,
            width,
            height,
            color_space: YuvColorSpace::default(),
        })
    }

    /// Splits one contiguous buffer laid out Y, U, V with no row padding, which must be
    /// exactly `w*h + 2*ceil(w/2)*ceil(h/2)` bytes (a `VideoFrame.copyTo` default layout).
    pub fn packed(data: &'a [u8], width: u32, height: u32) -> Result<Self> {
        check_dimensions("I420", width, height)?;
        let (cw, ch) = chroma_size(width, height);
        let y_len = width as usize * height as usize;
        let c_len = cw as usize * ch as usize;
        ensure!(
            data.len() == y_len + 2 * c_len,
            "I420 buffer holds {} bytes but a packed {width}x{height} frame is {} bytes",
            data.len(),
            y_len + 2 * c_len
        );
        let (y, chroma) = data.split_at(y_len);
        let (u, v) = chroma.split_at(c_len);
        Self::new(
            width,
            height,
            Plane::new(y, width as usize),
            Plane::new(u, cw as usize),
            Plane::new(v, cw as usize),
        )
    }

    pub fn with_color_space(mut self, color_space: YuvColorSpace) -> Self {
        self.color_space = color_space;
        self
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn color_space(&self) -> YuvColorSpace {
        self.color_space
    }

    #[inline]
    pub fn y_row(&self, y: usize) -> &'a [u8] {
        let start = y * self.y.stride;
        &self.y.data[start..start + self.width as usize]
    }

    /// Row `cy` of the U and V planes (chroma coordinates).
    #[inline]
    pub fn uv_rows(&self, cy: usize) -> (&'a [u8], &'a [u8]) {
        let cw = chroma_size(self.width, self.height).0 as usize;
        let u = &self.u.data[cy * self.u.stride..cy * self.u.stride + cw];
        let v = &self.v.data[cy * self.v.stride..cy * self.v.stride + cw];
        (u, v)
    }
}

/// Size of the U and V planes of a 4:2:0 frame.
pub fn chroma_size(width: u32, height: u32) -> (u32, u32) {
    (width.div_ceil(2), height.div_ceil(2))
}

/// A frame in any supported pixel format.
#[derive(Clone, Copy, Debug)]
pub enum Frame<'a> {
    Rgba(RgbaFrame<'a>),
    I420(I420Frame<'a>),
}

impl Frame<'_> {
    pub fn width(&self) -> u32 {
        match self {
            Frame::Rgba(f) => f.width(),
            Frame::I420(f) => f.width(),
        }
    }

    pub fn height(&self) -> u32 {
        match self {
            Frame::Rgba(f) => f.height(),
            Frame::I420(f) => f.height(),
        }
    }
}

impl<'a> From<RgbaFrame<'a>> for Frame<'a> {
    fn from(f: RgbaFrame<'a>) -> Self {
        Frame::Rgba(f)
    }
}

impl<'a> From<I420Frame<'a>> for Frame<'a> {
    fn from(f: I420Frame<'a>) -> Self {
        Frame::I420(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_validation_names_the_problem() {
        let buf = vec![0u8; 16];
        assert!(RgbaFrame::packed(&buf, 2, 2).is_ok());
        let e = RgbaFrame::packed(&buf, 3, 2).unwrap_err().to_string();
        assert!(e.contains("16 bytes") && e.contains("24"), "{e}");
        let e = RgbaFrame::new(&buf, 2, 2, 7).unwrap_err().to_string();
        assert!(e.contains("stride 7"), "{e}");
        let e = RgbaFrame::new(&buf, 0, 2, 8).unwrap_err().to_string();
        assert!(e.contains("zero size"), "{e}");
        // The last row needs no padding.
        assert!(RgbaFrame::new(&buf[..14], 1, 2, 10).is_ok());
        assert!(RgbaFrame::new(&buf[..13], 1, 2, 10).is_err());
        let e = RgbaFrame::new(&buf, 9000, 1, 36000)
            .unwrap_err()
            .to_string();
        assert!(e.contains("larger than"), "{e}");
    }

    #[test]
    fn i420_packed_handles_odd_sizes() {
        // 3x3: Y 9, U 4, V 4.
        let buf = vec![0u8; 17];
        let f = I420Frame::packed(&buf, 3, 3).unwrap();
        assert_eq!(f.uv_rows(1).0.len(), 2);
        assert!(I420Frame::packed(&buf[..16], 3, 3).is_err());
        let e = I420Frame::new(
            3,
            3,
            Plane::new(&buf, 3),
            Plane::new(&buf, 1),
            Plane::new(&buf, 2),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("U plane stride 1"), "{e}");
    }
}
