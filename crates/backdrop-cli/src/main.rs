//! `backdrop`: Backdrop's engine on the command line.
//!
//!     backdrop process --model-dir models/build --mode blur IN.png OUT.png
//!     backdrop process --model-dir models/build --mode replace --background beach.jpg IN.y4m OUT.y4m
//!     backdrop mask --model-dir models/build IN.png MASK.png
//!     backdrop eval --pred masks/ --ref reference/

mod eval;
mod media;
mod run;

use anyhow::Result;
use backdrop_core::{Fill, Mode, ModelChoice, Options, People, Refinement};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "backdrop",
    version,
    about = "Person segmentation and background effects for pictures and Y4M video"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Blur, replace or remove the background of a picture (→ PNG) or a Y4M video (→ Y4M).
    Process {
        #[command(flatten)]
        model: ModelArgs,
        /// blur, replace or remove.
        #[arg(long, default_value_t = Options::default().mode)]
        mode: Mode,
        /// The picture `replace` puts behind the person.
        #[arg(long)]
        background: Option<PathBuf>,
        /// What `remove` puts behind the person: #rrggbb, #rrggbbaa or transparent.
        #[arg(long, default_value_t = Options::default().fill)]
        color: Fill,
        /// Background blur, 0 to 1.
        #[arg(long, default_value_t = Options::default().blur_strength)]
        blur: f32,
        /// Light wrap of `replace`, 0 to 1.
        #[arg(long, default_value_t = Options::default().light_wrap)]
        light_wrap: f32,
        input: PathBuf,
        output: PathBuf,
    },
    /// Write the refined person mask (255 = person): a PNG for a picture, a directory of
    /// PNGs (00000.png, ...) for a Y4M video.
    Mask {
        #[command(flatten)]
        model: ModelArgs,
        input: PathBuf,
        output: PathBuf,
    },
    /// Score predicted masks against reference masks of the same file names.
    Eval {
        #[arg(long)]
        pred: PathBuf,
        #[arg(long = "ref")]
        reference: PathBuf,
        /// Boundary F-score tolerance in pixels.
        #[arg(long, default_value_t = 2)]
        tolerance: usize,
        /// The masks are consecutive frames: also report flicker.
        #[arg(long)]
        sequence: bool,
    },
}

#[derive(Args)]
struct ModelArgs {
    /// Directory holding selfie_general.onnx and/or selfie_landscape.onnx.
    #[arg(long, default_value = "models/build")]
    model_dir: PathBuf,
    /// auto, general or landscape.
    #[arg(long, default_value_t = Options::default().model)]
    model: ModelChoice,
    /// guided, bilateral or bilinear.
    #[arg(long, default_value_t = Options::default().refinement)]
    refinement: Refinement,
    /// main (only the caller; others who come into view are background) or all.
    #[arg(long, default_value_t = Options::default().people)]
    people: People,
    /// Edge softness, 0 (crisp) to 1.
    #[arg(long, default_value_t = Options::default().edge_softness)]
    softness: f32,
    /// Temporal smoothing for video, 0 (off) to 0.95.
    #[arg(long, default_value_t = Options::default().temporal_smoothing)]
    smoothing: f32,
}

impl ModelArgs {
    fn options(&self) -> Options {
        Options {
            model: self.model,
            refinement: self.refinement,
            people: self.people,
            edge_softness: self.softness,
            temporal_smoothing: self.smoothing,
            ..Options::default()
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Process {
            model,
            mode,
            background,
            color,
            blur,
            light_wrap,
            input,
            output,
        } => {
            let options = Options {
                mode,
                fill: color,
                blur_strength: blur,
                light_wrap,
                ..model.options()
            };
            let mut processor = run::load_processor(&model.model_dir, options)?;
            if let Some(path) = background {
                processor.set_background_image(Some(run::load_background(&path)?));
            }
            run::process(&mut processor, &input, &output)
        }
        Command::Mask {
            model,
            input,
            output,
        } => {
            let mut processor = run::load_processor(&model.model_dir, model.options())?;
            run::mask(&mut processor, &input, &output)
        }
        Command::Eval {
            pred,
            reference,
            tolerance,
            sequence,
        } => eval::eval(&pred, &reference, tolerance, sequence),
    }
}
