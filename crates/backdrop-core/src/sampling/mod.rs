//! Resampling shared by every stage: one per-axis tap table ([`taps::AxisTaps`]) with
//! one position formula, and what is built on it: area resampling of RGBA frames
//! ([`resample`], for the model input and the replace background) and linear sampling of
//! a low-resolution grid at full resolution ([`grid`], for masks and filter
//! coefficients).

pub mod grid;
pub mod resample;
pub mod taps;
