//! The fidelity tensors (models/build/fidelity) are stored NHWC, as TFLite takes them,
//! whatever the ONNX model's layout; the core's `Segmenter::run` takes planar RGB.

pub fn nhwc_to_planar(input: &[f32]) -> Vec<f32> {
    let pixels = input.len() / 3;
    let mut planar = vec![0f32; input.len()];
    for (i, px) in input.chunks_exact(3).enumerate() {
        for (c, value) in px.iter().enumerate() {
            planar[c * pixels + i] = *value;
        }
    }
    planar
}
