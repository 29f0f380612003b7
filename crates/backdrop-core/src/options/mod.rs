//! What the caller can change between any two frames, defined once.
//!
//! [`fields::FIELDS`] is the one table of options (name, kind, range or choices,
//! default); [`Options`] is the typed record the processor runs with. Callers that hold
//! options as names and values (the wasm glue, with a JavaScript object) change them
//! through [`Options::with_changes`], which checks every change before any applies.
//! [`quality`] holds the adaptive quality tiers and [`Options::effective`] what a tier
//! runs.

pub mod choices;
pub mod error;
pub mod fields;
pub mod quality;

pub use choices::{Fill, Mode, ModelChoice, People, Refinement};
pub use error::{OptionError, OptionErrorKind};
pub use fields::{field, Field, Kind, FIELDS};
pub use quality::{QualityTier, QUALITY_TIERS};

use std::borrow::Cow;

/// One option's value as the options record holds it: a number or a string (what a
/// JavaScript caller passes).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(Cow<'static, str>),
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Number(x)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(Cow::Owned(s.to_string()))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

/// The largest [`Options::inference_interval`].
pub const MAX_INFERENCE_INTERVAL: u32 = 8;

/// The typed options. Field names here are Rust's; the options record (and every
/// message) uses the names in [`FIELDS`]. Defaults come from that table.
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
    /// Whose mask is kept: everyone, or only the caller.
    pub people: People,
    /// Run the model on every `inference_interval`-th frame only (1 = every frame, up to
    /// [`MAX_INFERENCE_INTERVAL`]); the frames between refine and composite the last model
    /// mask with their own pixels. A new frame size, model or `reset` infers at once.
    pub inference_interval: u32,
    /// The adaptive quality tier, an index into [`QUALITY_TIERS`] (0 = full quality).
    pub quality_tier: u32,
}

impl Default for Options {
    /// Every field's default from [`FIELDS`].
    fn default() -> Self {
        let mut options = Options {
            mode: Mode::Blur,
            model: ModelChoice::Auto,
            blur_strength: 0.0,
            edge_softness: 0.0,
            fill: Fill::Transparent,
            light_wrap: 0.0,
            temporal_smoothing: 0.0,
            refinement: Refinement::GuidedFilter,
            people: People::All,
            inference_interval: 1,
            quality_tier: 0,
        };
        for field in FIELDS {
            // A default outside its own field's range is a bug in the table, caught by
            // `every_default_is_valid` below.
            if let Err(e) = field.set(&mut options, &field.default) {
                unreachable!("the options table's default for {}: {e}", field.name);
            }
        }
        options
    }
}

impl Options {
    /// Checks every field against [`FIELDS`] (for options built as Rust structs).
    pub fn validate(&self) -> Result<(), OptionError> {
        let mut copy = *self;
        for field in FIELDS {
            field.set(&mut copy, &field.get(self))?;
        }
        Ok(())
    }

    /// Sets the option called `name` (a name from [`FIELDS`]) to `value`. On error the
    /// options are unchanged.
    pub fn set(&mut self, name: &str, value: &Value) -> Result<(), OptionError> {
        let mut next = *self;
        field(name)?.set(&mut next, value)?;
        *self = next;
        Ok(())
    }

    /// The value of the option called `name`.
    pub fn get(&self, name: &str) -> Result<Value, OptionError> {
        Ok(field(name)?.get(self))
    }

    /// These options with all of `changes` applied, or the first change that is not
    /// valid: either every change applies or none does.
    pub fn with_changes<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, &'a Value)>,
    ) -> Result<Options, OptionError> {
        let mut next = *self;
        for (name, value) in changes {
            next.set(name, value)?;
        }
        Ok(next)
    }

    /// Every option as (name, value), in the order of [`FIELDS`].
    pub fn record(&self) -> Vec<(&'static str, Value)> {
        FIELDS.iter().map(|f| (f.name, f.get(self))).collect()
    }

    /// The settings actually run: the quality tier's overrides applied (its model, its
    /// refinement, and at least its inference interval), `quality_tier` itself kept.
    pub fn effective(&self) -> Options {
        let tier = QUALITY_TIERS[(self.quality_tier as usize).min(QUALITY_TIERS.len() - 1)];
        let mut run = *self;
        if tier.landscape_model {
            run.model = ModelChoice::Landscape;
        }
        if tier.bilinear_refinement {
            run.refinement = Refinement::Bilinear;
        }
        run.inference_interval = run.inference_interval.max(tier.inference_interval);
        run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_valid_and_the_record_reads_them_back() {
        let defaults = Options::default();
        defaults.validate().unwrap();
        for (field, (name, value)) in FIELDS.iter().zip(defaults.record()) {
            assert_eq!(field.name, name);
            assert_eq!(field.default, value, "{name}");
        }
        // The product's defaults (www/README.md's table).
        assert_eq!(defaults.fill, Fill::Color([0x00, 0xb1, 0x40, 0xff]));
        assert_eq!(defaults.temporal_smoothing, 0.9);
        assert_eq!(defaults.effective(), defaults);
    }

    #[test]
    fn validation_rejects_out_of_range_and_nan() {
        assert!(Options::default().validate().is_ok());
        let bad = Options {
            blur_strength: f32::NAN,
            ..Options::default()
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.kind),
            ("blurStrength", OptionErrorKind::Range)
        );
        assert!(e.message.contains("blurStrength"), "{e}");
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
            assert!(message.contains("inferenceInterval"), "{message}");
        }
    }

    #[test]
    fn messages_name_the_field_the_allowed_values_and_the_value_given() {
        let o = Options::default();
        let cases: [(&str, Value, OptionErrorKind, &str); 9] = [
            (
                "qualityTier",
                5.0.into(),
                OptionErrorKind::Range,
                "qualityTier must be an integer from 0 to 4, got 5",
            ),
            (
                "qualityTier",
                1.5.into(),
                OptionErrorKind::Range,
                "qualityTier must be an integer from 0 to 4, got 1.5",
            ),
            (
                "blurStrength",
                2.0.into(),
                OptionErrorKind::Range,
                "blurStrength must be a number from 0 to 1, got 2",
            ),
            (
                "temporalSmoothing",
                f64::NAN.into(),
                OptionErrorKind::Range,
                "temporalSmoothing must be a number from 0 to 0.95, got NaN",
            ),
            (
                "edgeSoftness",
                "soft".into(),
                OptionErrorKind::Type,
                "edgeSoftness must be a number from 0 to 1, got 'soft'",
            ),
            (
                "mode",
                "sepia".into(),
                OptionErrorKind::Type,
                "unknown mode 'sepia': mode must be one of blur, replace, remove",
            ),
            (
                "mode",
                1.0.into(),
                OptionErrorKind::Type,
                "mode must be one of blur, replace, remove, got 1",
            ),
            (
                "color",
                "#12".into(),
                OptionErrorKind::Type,
                "color must be 'transparent', #rrggbb or #rrggbbaa, got '#12'",
            ),
            (
                "sparkle",
                1.0.into(),
                OptionErrorKind::Unknown,
                "unknown option 'sparkle' (the options are mode, blurStrength",
            ),
        ];
        for (name, value, kind, message) in cases {
            let mut changed = o;
            let e = changed.set(name, &value).unwrap_err();
            assert_eq!(changed, o);
            assert_eq!(e.field, name);
            assert_eq!(e.kind, kind, "{e}");
            assert!(e.message.starts_with(message), "{e}");
        }
    }

    #[test]
    fn changes_apply_all_or_nothing() {
        let o = Options::default();
        let (blur, remove, bad) = (
            Value::Number(0.8),
            Value::from("remove"),
            Value::Number(9.0),
        );
        let e = o
            .with_changes([
                ("blurStrength", &blur),
                ("mode", &remove),
                ("qualityTier", &bad),
            ])
            .unwrap_err();
        assert_eq!(e.field, "qualityTier");
        let mut p = o;
        assert!(p.set("blurStrength", &bad).is_err());
        assert_eq!(p, o, "a refused set changes nothing");
        let next = o
            .with_changes([
                ("blurStrength", &blur),
                ("mode", &remove),
                ("color", &"#ff000080".into()),
            ])
            .unwrap();
        assert_eq!((next.blur_strength, next.mode), (0.8, Mode::Remove));
        assert_eq!(next.get("color").unwrap(), Value::from("#ff000080"));
        assert_eq!(next.get("blurStrength").unwrap(), Value::Number(0.8));
    }

    #[test]
    fn each_tier_runs_the_settings_of_quality_ts() {
        // www/src/quality.ts tierSettings: tier >= 1 landscape, >= 2 bilinear, 3 every
        // 2nd frame, 4 every 3rd.
        let names: Vec<&str> = QUALITY_TIERS.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            ["full", "landscape", "bilinear", "half-rate", "third-rate"]
        );
        let chosen = Options {
            model: ModelChoice::General,
            refinement: Refinement::JointBilateral,
            ..Options::default()
        };
        let expected = [
            (ModelChoice::General, Refinement::JointBilateral, 1),
            (ModelChoice::Landscape, Refinement::JointBilateral, 1),
            (ModelChoice::Landscape, Refinement::Bilinear, 1),
            (ModelChoice::Landscape, Refinement::Bilinear, 2),
            (ModelChoice::Landscape, Refinement::Bilinear, 3),
        ];
        for (tier, (model, refinement, interval)) in expected.into_iter().enumerate() {
            let run = Options {
                quality_tier: tier as u32,
                ..chosen
            }
            .effective();
            assert_eq!(
                (run.model, run.refinement, run.inference_interval),
                (model, refinement, interval),
                "tier {tier}"
            );
            assert_eq!(run.quality_tier, tier as u32);
        }
    }
}
