//! What comes in: frame formats ([`frame`]), colour conversion ([`color`]), and the
//! model's input made from a frame ([`preprocess`], placed by [`letterbox`]).

pub mod color;
pub mod frame;
pub mod letterbox;
pub mod preprocess;
