//! `backdrop process` and `backdrop mask`: the core's Processor over pictures and videos.

use crate::media::{self, Kind, VideoReader, VideoWriter};
use anyhow::{ensure, Context, Result};
use backdrop_core::{
    BackgroundImage, Fill, Frame, ModelChoice, ModelKind, Options, Processor, RgbaFrame, Timings,
};
use image::{GrayImage, RgbaImage};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Loads whichever of the two models `dir` holds (at least one).
pub fn load_processor(dir: &Path, options: Options) -> Result<Processor> {
    let read = |name: &str| -> Result<Option<Vec<u8>>> {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    };
    let general = read("selfie_general.onnx")?;
    let landscape = read("selfie_landscape.onnx")?;
    ensure!(
        general.is_some() || landscape.is_some(),
        "{} holds neither selfie_general.onnx nor selfie_landscape.onnx (run `bash models/build.sh`)",
        dir.display()
    );
    let mut processor = Processor::from_onnx_bytes(general.as_deref(), landscape.as_deref())
        .with_context(|| format!("loading the models in {}", dir.display()))?;
    processor.set_options(options)?;
    // A processor runs the other model while the one asked for is missing (the browser
    // loads the second one later); here nothing will add it, so say so.
    let run = options.effective();
    if run.model != ModelChoice::Auto {
        let kind = ModelKind::wanted(&run, None);
        ensure!(
            processor.has_model(kind),
            "the {} model was asked for, but {} has no selfie_{}.onnx",
            kind.name(),
            dir.display(),
            kind.name()
        );
    }
    Ok(processor)
}

/// Sums per-stage timings to print their means.
#[derive(Default)]
struct TimingSummary {
    frames: usize,
    sum: Timings,
}

impl TimingSummary {
    fn add(&mut self, t: Timings) {
        self.frames += 1;
        self.sum.preprocess_ms += t.preprocess_ms;
        self.sum.inference_ms += t.inference_ms;
        self.sum.refine_ms += t.refine_ms;
        self.sum.composite_ms += t.composite_ms;
        self.sum.total_ms += t.total_ms;
    }

    fn print(&self) {
        let n = self.frames.max(1) as f64;
        let s = &self.sum;
        eprintln!(
            "{} frame(s); mean ms per frame: preprocess {:.2}, inference {:.2}, refine {:.2}, composite {:.2}, total {:.2}",
            self.frames,
            s.preprocess_ms / n,
            s.inference_ms / n,
            s.refine_ms / n,
            s.composite_ms / n,
            s.total_ms / n
        );
    }
}

fn clock() -> impl Fn() -> f64 {
    let start = Instant::now();
    move || start.elapsed().as_secs_f64() * 1000.0
}

pub fn load_background(path: &Path) -> Result<BackgroundImage> {
    let img = media::read_picture(path)?;
    let (w, h) = img.dimensions();
    BackgroundImage::new(img.into_raw(), w, h)
        .with_context(|| format!("background {}", path.display()))
}

/// Composites `input` into `output` (picture → PNG, Y4M → Y4M).
pub fn process(processor: &mut Processor, input: &Path, output: &Path) -> Result<()> {
    let clock = clock();
    let mut summary = TimingSummary::default();
    match (media::kind(input)?, media::kind(output)?) {
        (Kind::Picture, Kind::Picture) => {
            ensure_png(output)?;
            let img = media::read_picture(input)?;
            let (w, h) = img.dimensions();
            let mut out = vec![0u8; img.as_raw().len()];
            let frame = RgbaFrame::packed(img.as_raw(), w, h)?;
            summary.add(processor.process(Frame::Rgba(frame), &mut out, &clock)?);
            save(
                RgbaImage::from_raw(w, h, out).context("output size")?,
                output,
            )?;
        }
        (Kind::Video, Kind::Video) => {
            if processor.options().fill == Fill::Transparent
                && processor.options().mode == backdrop_core::Mode::Remove
            {
                eprintln!("warning: Y4M has no alpha; the transparent background comes out as the original colours");
            }
            let mut reader = VideoReader::open(input)?;
            let (w, h) = reader.size();
            let mut writer =
                VideoWriter::create(output, (w, h), reader.framerate(), reader.color_space())?;
            let mut out = vec![0u8; w as usize * h as usize * 4];
            reader.for_each_frame(|frame| {
                summary.add(processor.process(Frame::I420(frame), &mut out, &clock)?);
                writer.write_rgba(&out)
            })?;
        }
        (Kind::Picture, Kind::Video) => {
            anyhow::bail!("a picture can only be written as a .png picture")
        }
        (Kind::Video, Kind::Picture) => {
            anyhow::bail!("a Y4M video can only be written as a .y4m video")
        }
    }
    summary.print();
    Ok(())
}

/// Writes the refined mask of `input`: one PNG for a picture; for a Y4M video, one PNG
/// per frame (`00000.png`, ...) in the directory `output`.
pub fn mask(processor: &mut Processor, input: &Path, output: &Path) -> Result<()> {
    let clock = clock();
    let mut summary = TimingSummary::default();
    match media::kind(input)? {
        Kind::Picture => {
            ensure_png(output)?;
            let img = media::read_picture(input)?;
            let (w, h) = img.dimensions();
            let mut out = vec![0u8; img.as_raw().len()];
            summary.add(processor.process(
                Frame::Rgba(RgbaFrame::packed(img.as_raw(), w, h)?),
                &mut out,
                &clock,
            )?);
            save(
                GrayImage::from_raw(w, h, processor.mask().to_vec()).context("mask size")?,
                output,
            )?;
        }
        Kind::Video => {
            std::fs::create_dir_all(output)
                .with_context(|| format!("cannot create directory {}", output.display()))?;
            let mut reader = VideoReader::open(input)?;
            let (w, h) = reader.size();
            let mut out = vec![0u8; w as usize * h as usize * 4];
            let mut index = 0;
            reader.for_each_frame(|frame| {
                summary.add(processor.process(Frame::I420(frame), &mut out, &clock)?);
                let path: PathBuf = output.join(format!("{index:05}.png"));
                index += 1;
                save(
                    GrayImage::from_raw(w, h, processor.mask().to_vec()).context("mask size")?,
                    &path,
                )
            })?;
        }
    }
    summary.print();
    Ok(())
}

fn ensure_png(path: &Path) -> Result<()> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    ensure!(
        ext.as_deref() == Some("png"),
        "{}: pictures are written as .png",
        path.display()
    );
    Ok(())
}

fn save<I: Into<image::DynamicImage>>(img: I, path: &Path) -> Result<()> {
    img.into()
        .save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}
