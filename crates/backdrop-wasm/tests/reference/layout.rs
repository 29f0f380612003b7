//! The fidelity tensors are stored in the model's own input layout; the core's
//! `Segmenter::run` takes planar RGB.

use backdrop_core::Layout;

pub fn to_planar(input: &[f32], layout: Layout) -> Vec<f32> {
    match layout {
        Layout::Nchw => input.to_vec(),
        Layout::Nhwc => {
            let pixels = input.len() / 3;
            let mut planar = vec![0f32; input.len()];
            for (i, px) in input.chunks_exact(3).enumerate() {
                for c in 0..3 {
                    planar[c * pixels + i] = px[c];
                }
            }
            planar
        }
    }
}
