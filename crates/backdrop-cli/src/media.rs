//! Reading and writing what the CLI handles: PNG/JPEG pictures and 8-bit 4:2:0 Y4M video.

use anyhow::{bail, ensure, Context, Result};
use backdrop_core::input::color::rgba_to_i420;
use backdrop_core::input::frame::chroma_size;
use backdrop_core::{I420Frame, Plane, RgbaFrame, YuvColorSpace, YuvRange};
use image::RgbaImage;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::Path;

/// What kind of media a path names, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Picture,
    Video,
}

pub fn kind(path: &Path) -> Result<Kind> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png" | "jpg" | "jpeg") => Ok(Kind::Picture),
        Some("y4m") => Ok(Kind::Video),
        _ => bail!(
            "{}: unsupported file type (expected .png, .jpg, .jpeg or .y4m)",
            path.display()
        ),
    }
}

pub fn read_picture(path: &Path) -> Result<RgbaImage> {
    Ok(image::open(path)
        .with_context(|| format!("cannot read picture {}", path.display()))?
        .to_rgba8())
}

/// An open Y4M file of 8-bit 4:2:0 frames.
pub struct VideoReader {
    decoder: y4m::Decoder<BufReader<File>>,
    color_space: YuvColorSpace,
}

impl VideoReader {
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let decoder = y4m::decode(BufReader::new(file))
            .map_err(|e| anyhow::anyhow!("{}: not a readable Y4M file: {e:?}", path.display()))?;
        use y4m::Colorspace::*;
        let cs = decoder.get_colorspace();
        ensure!(
            matches!(cs, C420 | C420jpeg | C420paldv | C420mpeg2),
            "{}: Y4M colour space {cs:?} is not supported (only 8-bit 4:2:0)",
            path.display()
        );
        let params = String::from_utf8_lossy(decoder.get_raw_params()).into_owned();
        let range = if params.contains("XCOLORRANGE=FULL") {
            YuvRange::Full
        } else {
            YuvRange::Limited
        };
        let color_space = YuvColorSpace {
            range,
            ..YuvColorSpace::default()
        };
        Ok(Self {
            decoder,
            color_space,
        })
    }

    pub fn size(&self) -> (u32, u32) {
        (
            self.decoder.get_width() as u32,
            self.decoder.get_height() as u32,
        )
    }

    pub fn framerate(&self) -> y4m::Ratio {
        self.decoder.get_framerate()
    }

    pub fn color_space(&self) -> YuvColorSpace {
        self.color_space
    }

    /// Calls `f` with every frame in order; returns how many there were.
    pub fn for_each_frame(&mut self, mut f: impl FnMut(I420Frame) -> Result<()>) -> Result<usize> {
        let (w, h) = self.size();
        let (cw, _) = chroma_size(w, h);
        let mut count = 0;
        loop {
            let frame = match self.decoder.read_frame() {
                Ok(frame) => frame,
                Err(y4m::Error::EOF) => return Ok(count),
                Err(e) => bail!("frame {count}: cannot read Y4M frame: {e:?}"),
            };
            let yuv = I420Frame::new(
                w,
                h,
                Plane::new(frame.get_y_plane(), w as usize),
                Plane::new(frame.get_u_plane(), cw as usize),
                Plane::new(frame.get_v_plane(), cw as usize),
            )
            .with_context(|| format!("frame {count}"))?
            .with_color_space(self.color_space);
            f(yuv).with_context(|| format!("frame {count}"))?;
            count += 1;
        }
    }
}

/// A Y4M file being written, 8-bit 4:2:0.
pub struct VideoWriter {
    encoder: y4m::Encoder<BufWriter<File>>,
    size: (u32, u32),
    color_space: YuvColorSpace,
    planes: [Vec<u8>; 3],
}

impl VideoWriter {
    pub fn create(
        path: &Path,
        size: (u32, u32),
        framerate: y4m::Ratio,
        color_space: YuvColorSpace,
    ) -> Result<Self> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut builder = y4m::encode(size.0 as usize, size.1 as usize, framerate)
            .with_colorspace(y4m::Colorspace::C420jpeg);
        if color_space.range == YuvRange::Full {
            builder = builder.append_vendor_extension(y4m::VendorExtensionString::new(
                b"COLORRANGE=FULL".to_vec(),
            )?);
        }
        let encoder = builder
            .write_header(BufWriter::new(file))
            .map_err(|e| anyhow::anyhow!("{}: cannot write Y4M header: {e:?}", path.display()))?;
        let (cw, ch) = chroma_size(size.0, size.1);
        let (luma, chroma) = ((size.0 * size.1) as usize, (cw * ch) as usize);
        Ok(Self {
            encoder,
            size,
            color_space,
            planes: [vec![0; luma], vec![0; chroma], vec![0; chroma]],
        })
    }

    /// Appends a packed RGBA frame (alpha is dropped).
    pub fn write_rgba(&mut self, rgba: &[u8]) -> Result<()> {
        let frame = RgbaFrame::packed(rgba, self.size.0, self.size.1)?;
        let [y, u, v] = &mut self.planes;
        rgba_to_i420(&frame, self.color_space, y, u, v)?;
        self.encoder
            .write_frame(&y4m::Frame::new([y, u, v], None))
            .map_err(|e| anyhow::anyhow!("cannot write Y4M frame: {e:?}"))
    }
}
