//! Model input layouts and the letterbox round trip, with synthetic "brightness" models
//! whose mask is known exactly: NHWC and NCHW graphs, square and landscape inputs, and
//! frames of every aspect ratio map back onto the frame without shift or distortion.

use crate::common::synthetic_onnx::brightness_model;
use backdrop_core::{Frame, Layout, NoClock, Options, Processor, Refinement, RgbaFrame, Segmenter};

#[test]
fn layout_is_detected_from_the_input_shape() {
    let nhwc = Segmenter::from_onnx_bytes(&brightness_model(false, 36, 64)).unwrap();
    assert_eq!(nhwc.layout(), Layout::Nhwc);
    assert_eq!(nhwc.input_size(), (64, 36));
    let nchw = Segmenter::from_onnx_bytes(&brightness_model(true, 36, 64)).unwrap();
    assert_eq!(nchw.layout(), Layout::Nchw);
    assert_eq!(nchw.input_size(), (64, 36));
}

#[test]
fn both_layouts_see_the_same_image() {
    // A horizontal ramp in R only: the mean of channels is R/3 at every pixel.
    let (w, h) = (64usize, 36usize);
    let mut rgb = vec![0.0f32; 3 * w * h];
    for y in 0..h {
        for x in 0..w {
            rgb[y * w + x] = x as f32 / (w - 1) as f32;
        }
    }
    for nchw in [false, true] {
        let mut s =
            Segmenter::from_onnx_bytes(&brightness_model(nchw, h as i64, w as i64)).unwrap();
        let mut mask = vec![0.0; w * h];
        s.run(&rgb, &mut mask).unwrap();
        for y in 0..h {
            for x in 0..w {
                let want = x as f32 / (w - 1) as f32 / 3.0;
                assert!(
                    (mask[y * w + x] - want).abs() < 1e-6,
                    "nchw={nchw} ({x},{y})"
                );
            }
        }
        assert!(
            s.input_is_reusable(),
            "the input tensor is refilled, not reallocated"
        );
    }
}

/// White left of `split * width`, black right of it.
fn split_frame(width: u32, height: u32, split: f64) -> Vec<u8> {
    let mut data = Vec::with_capacity((width * height * 4) as usize);
    for _ in 0..height {
        for x in 0..width {
            let v = if (x as f64 + 0.5) < split * width as f64 {
                255
            } else {
                0
            };
            data.extend_from_slice(&[v, v, v, 255]);
        }
    }
    data
}

#[test]
fn letterboxed_mask_lands_back_on_the_frame() {
    let models = [(64i64, 64i64), (36, 64)];
    let frames = [
        (160u32, 90u32),
        (120, 90),
        (90, 160),
        (33, 7),
        (7, 33),
        (641, 479),
    ];
    for (mh, mw) in models {
        for nchw in [false, true] {
            for refinement in [
                Refinement::Bilinear,
                Refinement::GuidedFilter,
                Refinement::JointBilateral,
            ] {
                let model = Segmenter::from_onnx_bytes(&brightness_model(nchw, mh, mw)).unwrap();
                let mut p = Processor::new(Some(model), None).unwrap();
                let options = Options {
                    edge_softness: 0.0,
                    temporal_smoothing: 0.0,
                    refinement,
                    ..Options::default()
                };
                p.set_options(options).unwrap();
                for (w, h) in frames {
                    let data = split_frame(w, h, 0.4);
                    let mut out = vec![0; data.len()];
                    p.process(
                        Frame::Rgba(RgbaFrame::packed(&data, w, h).unwrap()),
                        &mut out,
                        &NoClock,
                    )
                    .unwrap();
                    // Frame pixels per model pixel: the mask is exact beyond two model
                    // pixels from the edge.
                    let scale = (w as f64 / mw as f64).max(h as f64 / mh as f64);
                    let edge = 0.4 * w as f64;
                    let mask = p.mask();
                    for y in 0..h as usize {
                        for x in 0..w as usize {
                            let centre = x as f64 + 0.5;
                            let m = mask[y * w as usize + x];
                            let ctx = format!("model {mw}x{mh} nchw={nchw} {refinement:?} frame {w}x{h} at ({x},{y})");
                            if centre < edge - 2.0 * scale {
                                assert_eq!(m, 255, "{ctx}");
                            } else if centre > edge + 2.0 * scale {
                                assert_eq!(m, 0, "{ctx}");
                            }
                        }
                    }
                }
            }
        }
    }
}
