//! What the caller can change between any two frames.

use anyhow::{bail, ensure, Context, Result};
use std::str::FromStr;

/// What happens to the background.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Blur,
    Replace,
    Remove,
}

/// Which segmentation model runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ModelChoice {
    /// Landscape for frames at least 3:2 wide when it is loaded, general otherwise.
    #[default]
    Auto,
    /// The square 256x256 model: more pixels on the person, slower.
    General,
    /// The 256x144 model: about half the work, made for 16:9.
    Landscape,
}

/// What `Mode::Remove` puts behind the person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fill {
    /// A solid RGBA colour.
    Color([u8; 4]),
    /// Nothing: output alpha is the mask.
    #[default]
    Transparent,
}

/// How the low-resolution model mask is brought to the frame's resolution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Refinement {
    /// Fast guided filter on the grey frame (default).
    #[default]
    GuidedFilter,
    /// Joint bilateral upsampling: also edge-aware, several times slower.
    JointBilateral,
    /// Plain bilinear upsampling, ignoring the frame (baseline).
    Bilinear,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    pub mode: Mode,
    pub model: ModelChoice,
    /// Background blur, 0 (none) to 1 (sigma = 1/32 of the frame's longer side).
    pub blur_strength: f32,
    /// Edge softness, 0 (crisp) to 1 (wide ramp).
    pub edge_softness: f32,
    pub fill: Fill,
    /// How much the replaced background's light spills onto the person's edges, 0 to 1.
    pub light_wrap: f32,
    /// Weight of the previous mask where nothing moves, 0 (off) to 0.95.
    pub temporal_smoothing: f32,
    pub refinement: Refinement,
    /// Run the model on every `inference_interval`-th frame only (1 = every frame, up to
    /// [`MAX_INFERENCE_INTERVAL`]); the frames between refine and composite the last model
    /// mask with their own pixels. A new frame size, model or `reset` infers at once.
    pub inference_interval: u32,
}

/// The largest [`Options::inference_interval`].
pub const MAX_INFERENCE_INTERVAL: u32 = 8;

impl Default for Options {
    fn default() -> Self {
        Self {
            mode: Mode::Blur,
            model: ModelChoice::Auto,
            blur_strength: 0.5,
            edge_softness: 0.3,
            fill: Fill::Transparent,
            light_wrap: 0.3,
            temporal_smoothing: 0.9,
            refinement: Refinement::GuidedFilter,
            inference_interval: 1,
        }
    }
}

fn check_unit(name: &str, value: f32, max: f32) -> Result<()> {
    ensure!(
        value.is_finite() && (0.0..=max).contains(&value),
        "{name} must be between 0 and {max}, got {value}"
    );
    Ok(())
}

impl Options {
    pub fn validate(&self) -> Result<()> {
        check_unit("blur strength", self.blur_strength, 1.0)?;
        check_unit("edge softness", self.edge_softness, 1.0)?;
        check_unit("light wrap", self.light_wrap, 1.0)?;
        check_unit("temporal smoothing", self.temporal_smoothing, 0.95)?;
        ensure!(
            (1..=MAX_INFERENCE_INTERVAL).contains(&self.inference_interval),
            "inference interval must be from 1 to {MAX_INFERENCE_INTERVAL} frames, got {}",
            self.inference_interval
        );
        Ok(())
    }
}

impl FromStr for Mode {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "blur" => Mode::Blur,
            "replace" => Mode::Replace,
            "remove" => Mode::Remove,
            _ => bail!("unknown mode '{s}' (expected blur, replace or remove)"),
        })
    }
}

impl FromStr for ModelChoice {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "auto" => ModelChoice::Auto,
            "general" => ModelChoice::General,
            "landscape" => ModelChoice::Landscape,
            _ => bail!("unknown model '{s}' (expected auto, general or landscape)"),
        })
    }
}

impl FromStr for Refinement {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "guided" => Refinement::GuidedFilter,
            "bilateral" => Refinement::JointBilateral,
            "bilinear" => Refinement::Bilinear,
            _ => bail!("unknown refinement '{s}' (expected guided, bilateral or bilinear)"),
        })
    }
}

/// `transparent`, `#rrggbb` or `#rrggbbaa`.
impl FromStr for Fill {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        if s == "transparent" {
            return Ok(Fill::Transparent);
        }
        let hex = s
            .strip_prefix('#')
            .filter(|h| (h.len() == 6 || h.len() == 8) && h.is_ascii())
            .with_context(|| format!("colour '{s}' is not 'transparent', #rrggbb or #rrggbbaa"))?;
        let mut rgba = [255u8; 4];
        for (i, c) in rgba.iter_mut().take(hex.len() / 2).enumerate() {
            *c = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .with_context(|| format!("colour '{s}' has a bad hex digit"))?;
        }
        Ok(Fill::Color(rgba))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_colours() {
        assert_eq!("remove".parse::<Mode>().unwrap(), Mode::Remove);
        assert_eq!(
            "landscape".parse::<ModelChoice>().unwrap(),
            ModelChoice::Landscape
        );
        assert_eq!(
            "#00ff80".parse::<Fill>().unwrap(),
            Fill::Color([0, 255, 128, 255])
        );
        assert_eq!(
            "#00ff8040".parse::<Fill>().unwrap(),
            Fill::Color([0, 255, 128, 64])
        );
        assert_eq!("transparent".parse::<Fill>().unwrap(), Fill::Transparent);
        assert!("#0f0".parse::<Fill>().is_err());
        assert!("#gg0000".parse::<Fill>().is_err());
        assert!("#éé0000".parse::<Fill>().is_err());
        assert!("fuzzy"
            .parse::<Mode>()
            .unwrap_err()
            .to_string()
            .contains("fuzzy"));
    }

    #[test]
    fn validation_rejects_out_of_range_and_nan() {
        assert!(Options::default().validate().is_ok());
        let bad = Options {
            blur_strength: f32::NAN,
            ..Options::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("blur strength"));
        let bad = Options {
            temporal_smoothing: 1.0,
            ..Options::default()
        };
        assert!(bad.validate().is_err());
        for interval in [0, MAX_INFERENCE_INTERVAL + 1] {
            let bad = Options {
                inference_interval: interval,
                ..Options::default()
            };
            let message = bad.validate().unwrap_err().to_string();
            assert!(message.contains("inference interval"), "{message}");
        }
    }
}
