//! The one table of options: every option's name (as JavaScript spells it), kind,
//! range or choices, default and meaning. `Options::default()`, `Options::set`, the
//! validation and the wasm glue's options record all read it.

use super::choices::{Fill, Mode, ModelChoice, People, Refinement};
use super::error::{OptionError, OptionErrorKind};
use super::quality::QUALITY_TIERS;
use super::{Options, Value, MAX_INFERENCE_INTERVAL};
use std::borrow::Cow;

/// What values an option takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A finite number in `min..=max`.
    Number { min: f64, max: f64 },
    /// A whole number in `min..=max`.
    Integer { min: u32, max: u32 },
    /// One of these names.
    Choice(&'static [&'static str]),
    /// A colour: `transparent`, `#rrggbb` or `#rrggbbaa`.
    Color,
}

impl Kind {
    /// The accepted values in words, e.g. "a number from 0 to 1".
    pub fn expected(&self) -> String {
        match self {
            Kind::Number { min, max } => format!("a number from {min} to {max}"),
            Kind::Integer { min, max } => format!("an integer from {min} to {max}"),
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Color => Fill::FORMS.to_string(),
        }
    }
}

/// One option.
pub struct Field {
    /// The name in the options record (JavaScript's camelCase).
    pub name: &'static str,
    pub kind: Kind,
    pub default: Value,
    pub description: &'static str,
    get: fn(&Options) -> Value,
    /// Checks `value` against this field and stores it.
    set: fn(&mut Options, &Field, &Value) -> Result<(), OptionError>,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

const fn text(s: &'static str) -> Value {
    Value::Text(Cow::Borrowed(s))
}

/// The options, in the order the options record lists them.
pub const FIELDS: &[Field] = &[
    Field {
        name: Mode::FIELD,
        kind: Kind::Choice(Mode::NAMES),
        default: text("blur"),
        description:
            "What happens to the background: blur, replace (needs a background image) or remove.",
        get: |o| text(o.mode.as_str()),
        set: |o, f, v| {
            o.mode = f.choice(v, Mode::parse)?;
            Ok(())
        },
    },
    Field {
        name: "blurStrength",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        default: Value::Number(0.5),
        description:
            "Background blur of `blur`, 0 (none) to 1 (sigma = 1/32 of the frame's longer side).",
        get: |o| number(o.blur_strength),
        set: |o, f, v| {
            o.blur_strength = f.number(v)?;
            Ok(())
        },
    },
    Field {
        name: "edgeSoftness",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        default: Value::Number(0.3),
        description: "Edge softness of the mask, 0 (crisp) to 1 (wide ramp).",
        get: |o| number(o.edge_softness),
        set: |o, f, v| {
            o.edge_softness = f.number(v)?;
            Ok(())
        },
    },
    Field {
        name: Fill::FIELD,
        kind: Kind::Color,
        default: text("#00b140"),
        description: "What `remove` puts behind the person: #rrggbb, #rrggbbaa or transparent.",
        get: |o| Value::Text(Cow::Owned(o.fill.to_text())),
        set: |o, f, v| {
            o.fill = f.color(v)?;
            Ok(())
        },
    },
    Field {
        name: ModelChoice::FIELD,
        kind: Kind::Choice(ModelChoice::NAMES),
        default: text("auto"),
        description:
            "Which model: auto (landscape for frames at least 3:2 wide), general or landscape.",
        get: |o| text(o.model.as_str()),
        set: |o, f, v| {
            o.model = f.choice(v, ModelChoice::parse)?;
            Ok(())
        },
    },
    Field {
        name: Refinement::FIELD,
        kind: Kind::Choice(Refinement::NAMES),
        default: text("guided"),
        description: "How the mask is brought to frame resolution: guided, bilateral or bilinear.",
        get: |o| text(o.refinement.as_str()),
        set: |o, f, v| {
            o.refinement = f.choice(v, Refinement::parse)?;
            Ok(())
        },
    },
    Field {
        name: People::FIELD,
        kind: Kind::Choice(People::NAMES),
        // Main: the point of Backdrop is that the room stays private, and the people in it
        // are the most private part of a room; a group on one camera chooses `all`.
        default: text("main"),
        description:
            "Whose mask is kept: main (only the caller; others who come into view are background) or all.",
        get: |o| text(o.people.as_str()),
        set: |o, f, v| {
            o.people = f.choice(v, People::parse)?;
            Ok(())
        },
    },
    Field {
        name: "temporalSmoothing",
        kind: Kind::Number {
            min: 0.0,
            max: 0.95,
        },
        default: Value::Number(0.9),
        description: "Weight of the previous mask where nothing moves, 0 (off) to 0.95.",
        get: |o| number(o.temporal_smoothing),
        set: |o, f, v| {
            o.temporal_smoothing = f.number(v)?;
            Ok(())
        },
    },
    Field {
        name: "lightWrap",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        default: Value::Number(0.3),
        description:
            "How much the replaced background's light spills onto the person's edges, 0 to 1.",
        get: |o| number(o.light_wrap),
        set: |o, f, v| {
            o.light_wrap = f.number(v)?;
            Ok(())
        },
    },
    Field {
        name: "inferenceInterval",
        kind: Kind::Integer {
            min: 1,
            max: MAX_INFERENCE_INTERVAL,
        },
        default: Value::Number(1.0),
        description:
            "Run the model on every n-th frame only; the frames between reuse its last mask.",
        get: |o| Value::Number(o.inference_interval as f64),
        set: |o, f, v| {
            o.inference_interval = f.integer(v)?;
            Ok(())
        },
    },
    Field {
        name: "qualityTier",
        kind: Kind::Integer {
            min: 0,
            max: QUALITY_TIERS.len() as u32 - 1,
        },
        default: Value::Number(0.0),
        description: "The adaptive quality tier (0 = full quality), see QUALITY_TIERS.",
        get: |o| Value::Number(o.quality_tier as f64),
        set: |o, f, v| {
            o.quality_tier = f.integer(v)?;
            Ok(())
        },
    },
];

/// An f32 option as the shortest decimal that reads back as it (0.3, not
/// 0.30000001192092896), so a record read back shows the numbers that were set.
fn number(x: f32) -> Value {
    Value::Number(x.to_string().parse().unwrap_or(x as f64))
}

/// The field called `name`.
pub fn field(name: &str) -> Result<&'static Field, OptionError> {
    FIELDS.iter().find(|f| f.name == name).ok_or_else(|| {
        let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        OptionError::unknown_field(name, &names)
    })
}

impl Field {
    pub fn get(&self, options: &Options) -> Value {
        (self.get)(options)
    }

    pub fn set(&self, options: &mut Options, value: &Value) -> Result<(), OptionError> {
        (self.set)(options, self, value)
    }

    /// The error for a value of a type options never take (a boolean, an object, ...),
    /// described by the caller as `got`.
    pub fn wrong_type(&self, got: &str) -> OptionError {
        self.error(OptionErrorKind::Type, got)
    }

    fn error(&self, kind: OptionErrorKind, got: &str) -> OptionError {
        let message = format!("{} must be {}, got {got}", self.name, self.kind.expected());
        OptionError::new(self.name, kind, message)
    }

    fn number(&self, value: &Value) -> Result<f32, OptionError> {
        let Kind::Number { min, max } = self.kind else {
            return Err(self.wrong_type("a number"));
        };
        match *value {
            Value::Number(x) if x.is_finite() && (min..=max).contains(&x) => Ok(x as f32),
            Value::Number(x) => Err(self.error(OptionErrorKind::Range, &x.to_string())),
            Value::Text(ref s) => Err(self.wrong_type(&format!("'{s}'"))),
        }
    }

    fn integer(&self, value: &Value) -> Result<u32, OptionError> {
        let Kind::Integer { min, max } = self.kind else {
            return Err(self.wrong_type("a number"));
        };
        match *value {
            Value::Number(x) if x.fract() == 0.0 && (min as f64..=max as f64).contains(&x) => {
                Ok(x as u32)
            }
            Value::Number(x) => Err(self.error(OptionErrorKind::Range, &x.to_string())),
            Value::Text(ref s) => Err(self.wrong_type(&format!("'{s}'"))),
        }
    }

    fn choice<T>(&self, value: &Value, parse: fn(&str) -> Option<T>) -> Result<T, OptionError> {
        let Kind::Choice(names) = self.kind else {
            return Err(self.wrong_type("a name"));
        };
        match value {
            Value::Text(s) => {
                parse(s).ok_or_else(|| OptionError::unknown_choice(self.name, s, names))
            }
            Value::Number(x) => Err(self.wrong_type(&x.to_string())),
        }
    }

    fn color(&self, value: &Value) -> Result<Fill, OptionError> {
        match value {
            Value::Text(s) => Fill::parse(s).ok_or_else(|| OptionError::bad_color(s)),
            Value::Number(x) => Err(self.wrong_type(&x.to_string())),
        }
    }
}
