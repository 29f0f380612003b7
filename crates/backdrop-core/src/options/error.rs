//! Why an option was refused: which field, what kind of mistake, and a message that
//! names the field, the values it takes and the value given.

use std::fmt;

/// The kind of mistake, so that callers can map it to their own error types (the wasm
/// glue throws `TypeError` for `Unknown` and `Type`, `RangeError` for `Range`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionErrorKind {
    /// No option has this name.
    Unknown,
    /// A value of the wrong type (a string for a number, say), an unknown name or a
    /// malformed colour.
    Type,
    /// A number outside the option's range (or not finite, or not a whole number).
    Range,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    /// The option's name in the options record, e.g. `blurStrength`.
    pub field: String,
    pub kind: OptionErrorKind,
    /// E.g. "qualityTier must be an integer from 0 to 4, got 5".
    pub message: String,
}

impl OptionError {
    pub fn new(field: &str, kind: OptionErrorKind, message: String) -> Self {
        Self {
            field: field.to_string(),
            kind,
            message,
        }
    }

    pub(crate) fn unknown_field(field: &str, known: &[&str]) -> Self {
        Self::new(
            field,
            OptionErrorKind::Unknown,
            format!(
                "unknown option '{field}' (the options are {})",
                known.join(", ")
            ),
        )
    }

    pub(crate) fn unknown_choice(field: &str, given: &str, names: &[&str]) -> Self {
        Self::new(
            field,
            OptionErrorKind::Type,
            format!(
                "unknown {field} '{given}': {field} must be one of {}",
                names.join(", ")
            ),
        )
    }

    pub(crate) fn bad_color(given: &str) -> Self {
        Self::new(
            super::Fill::FIELD,
            OptionErrorKind::Type,
            format!(
                "{} must be {}, got '{given}'",
                super::Fill::FIELD,
                super::Fill::FORMS
            ),
        )
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionError {}
