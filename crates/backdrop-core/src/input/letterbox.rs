//! Where a frame sits inside the model's input: scaled uniformly (no distortion) to
//! fit, centred, and the rest padded by replicating the frame's edges. The same
//! geometry maps the model's mask back onto the frame.

/// Uniform fit of a `frame_width x frame_height` frame into a `model_width x
/// model_height` input. Coordinates are continuous, pixel `i` spanning `[i, i+1)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Letterbox {
    pub frame_width: u32,
    pub frame_height: u32,
    pub model_width: u32,
    pub model_height: u32,
    /// Frame pixels per model pixel (the same on both axes).
    pub scale: f64,
    /// Model coordinates of the frame's top-left corner (≥ 0: the padding before it).
    pub offset_x: f64,
    pub offset_y: f64,
}

impl Letterbox {
    pub fn fit(frame_width: u32, frame_height: u32, model_width: u32, model_height: u32) -> Self {
        let (fw, fh) = (frame_width as f64, frame_height as f64);
        let (mw, mh) = (model_width as f64, model_height as f64);
        let scale = (fw / mw).max(fh / mh);
        Self {
            frame_width,
            frame_height,
            model_width,
            model_height,
            scale,
            offset_x: (mw - fw / scale) / 2.0,
            offset_y: (mh - fh / scale) / 2.0,
        }
    }

    /// The frame-space coordinate of model coordinate 0 on the x axis: model pixel `j`
    /// covers frame `[origin + j*scale, origin + (j+1)*scale)`.
    pub fn frame_origin_x(&self) -> f64 {
        -self.offset_x * self.scale
    }

    pub fn frame_origin_y(&self) -> f64 {
        -self.offset_y * self.scale
    }

    /// Model pixels per frame pixel.
    pub fn inverse_scale(&self) -> f64 {
        1.0 / self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landscape_frame_in_square_model_is_padded_top_and_bottom() {
        let lb = Letterbox::fit(640, 480, 256, 256);
        assert_eq!(lb.scale, 2.5);
        assert_eq!(lb.offset_x, 0.0);
        assert_eq!(lb.offset_y, 32.0);
        assert_eq!(lb.frame_origin_y(), -80.0);
    }

    #[test]
    fn portrait_frame_in_landscape_model_is_padded_left_and_right() {
        let lb = Letterbox::fit(720, 1280, 256, 144);
        assert!((lb.scale - 1280.0 / 144.0).abs() < 1e-12);
        assert!((lb.offset_x - (256.0 - 81.0) / 2.0).abs() < 1e-9);
        assert_eq!(lb.offset_y, 0.0);
    }
}
