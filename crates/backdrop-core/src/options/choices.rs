//! The options whose values are names: each enum's names are listed once, and `parse`
//! and `as_str` are generated side by side from that list. Defaults are not here: they
//! are in the one table of options, [`super::fields::FIELDS`].

use super::error::OptionError;
use std::fmt;
use std::str::FromStr;

/// Defines a string enum: the variants with their names, `NAMES`, `parse`, `as_str`,
/// `Display`, and `FromStr` (whose error, an [`OptionError`], names the option `$field`).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident as $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every name this option takes, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// The option's name in the options record.
            pub const FIELD: &'static str = $field;

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = anyhow::Error;
            fn from_str(s: &str) -> anyhow::Result<Self> {
                $name::parse(s)
                    .ok_or_else(|| OptionError::unknown_choice($field, s, Self::NAMES).into())
            }
        }
    };
}

string_enum! {
    /// What happens to the background.
    Mode as "mode" {
        Blur = "blur",
        Replace = "replace",
        Remove = "remove",
    }
}

string_enum! {
    /// Which segmentation model runs.
    ModelChoice as "model" {
        /// Landscape for frames at least 3:2 wide when it is loaded, general otherwise.
        Auto = "auto",
        /// The square 256x256 model: more pixels on the person, slower.
        General = "general",
        /// The 256x144 model: about half the work, made for 16:9.
        Landscape = "landscape",
    }
}

string_enum! {
    /// Whose mask is kept: everyone the model finds, or only the caller (see
    /// `segment::people`).
    People as "people" {
        /// Every person the model finds.
        All = "all",
        /// Only the main person: the caller, followed from frame to frame; everyone else
        /// is background.
        Main = "main",
    }
}

string_enum! {
    /// How the low-resolution model mask is brought to the frame's resolution.
    Refinement as "refinement" {
        /// Fast guided filter on the grey frame.
        GuidedFilter = "guided",
        /// Joint bilateral upsampling: also edge-aware, several times slower.
        JointBilateral = "bilateral",
        /// Plain bilinear upsampling, ignoring the frame (baseline).
        Bilinear = "bilinear",
    }
}

/// What `Mode::Remove` puts behind the person: written `transparent`, `#rrggbb` or
/// `#rrggbbaa` ([`Fill::parse`] and [`Fill::to_text`] side by side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// A solid RGBA colour.
    Color([u8; 4]),
    /// Nothing: output alpha is the mask.
    Transparent,
}

impl Fill {
    /// The option's name in the options record.
    pub const FIELD: &'static str = "color";
    /// How the accepted values are described in messages.
    pub const FORMS: &'static str = "'transparent', #rrggbb or #rrggbbaa";

    pub fn parse(s: &str) -> Option<Self> {
        if s == "transparent" {
            return Some(Fill::Transparent);
        }
        let hex = s
            .strip_prefix('#')
            .filter(|h| (h.len() == 6 || h.len() == 8) && h.is_ascii())?;
        let mut rgba = [255u8; 4];
        for (i, c) in rgba.iter_mut().take(hex.len() / 2).enumerate() {
            *c = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Fill::Color(rgba))
    }

    /// `transparent`, `#rrggbb` for an opaque colour, else `#rrggbbaa` (lower case).
    pub fn to_text(self) -> String {
        match self {
            Fill::Transparent => "transparent".to_string(),
            Fill::Color([r, g, b, 255]) => format!("#{r:02x}{g:02x}{b:02x}"),
            Fill::Color([r, g, b, a]) => format!("#{r:02x}{g:02x}{b:02x}{a:02x}"),
        }
    }
}

impl fmt::Display for Fill {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl FromStr for Fill {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Self> {
        Fill::parse(s).ok_or_else(|| OptionError::bad_color(s).into())
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
    fn every_name_parses_back_to_itself() {
        for &name in Mode::NAMES {
            assert_eq!(Mode::parse(name).unwrap().as_str(), name);
        }
        for &name in ModelChoice::NAMES {
            assert_eq!(ModelChoice::parse(name).unwrap().as_str(), name);
        }
        for &name in Refinement::NAMES {
            assert_eq!(Refinement::parse(name).unwrap().as_str(), name);
        }
        for &name in People::NAMES {
            assert_eq!(People::parse(name).unwrap().as_str(), name);
        }
        for text in ["transparent", "#00b140", "#00ff8040"] {
            assert_eq!(Fill::parse(text).unwrap().to_text(), text);
        }
        assert_eq!(Fill::parse("#00B140").unwrap().to_text(), "#00b140");
    }
}
