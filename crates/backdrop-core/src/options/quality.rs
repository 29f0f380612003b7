//! The adaptive quality tiers: a fixed ladder, each tier cheaper than the one before.
//! The caller (the npm package's controller) picks a tier from what frames cost and sets
//! `qualityTier`; what a tier changes is decided here and only here
//! ([`super::Options::effective`]).

/// One rung of the ladder: its name, what it does, and the settings it overrides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QualityTier {
    pub name: &'static str,
    pub description: &'static str,
    /// Runs the 256x144 landscape model whatever `model` says.
    pub landscape_model: bool,
    /// Upsamples the mask bilinearly whatever `refinement` says.
    pub bilinear_refinement: bool,
    /// Runs the model on every n-th frame at least (`inferenceInterval` may ask for more).
    pub inference_interval: u32,
}

/// The tiers, best first; `qualityTier: n` selects tier `n`.
pub const QUALITY_TIERS: &[QualityTier] = &[
    QualityTier {
        name: "full",
        description: "The chosen model and refinement; the model runs on every frame.",
        landscape_model: false,
        bilinear_refinement: false,
        inference_interval: 1,
    },
    QualityTier {
        name: "landscape",
        description: "The 256×144 landscape model (about half the general model’s work).",
        landscape_model: true,
        bilinear_refinement: false,
        inference_interval: 1,
    },
    QualityTier {
        name: "bilinear",
        description: "Landscape model; the mask is upsampled bilinearly instead of edge-aware.",
        landscape_model: true,
        bilinear_refinement: true,
        inference_interval: 1,
    },
    QualityTier {
        name: "half-rate",
        description: "As bilinear, the model on every 2nd frame; each frame is composited from the last mask.",
        landscape_model: true,
        bilinear_refinement: true,
        inference_interval: 2,
    },
    QualityTier {
        name: "third-rate",
        description: "As bilinear, the model on every 3rd frame; each frame is composited from the last mask.",
        landscape_model: true,
        bilinear_refinement: true,
        inference_interval: 3,
    },
];
