//! Bad input is an `Err` that says what was wrong, never a panic.

use crate::common;

use crate::common::synthetic_onnx::{brightness_model, identity_model};
use backdrop_core::{
    BackgroundImage, Frame, I420Frame, Mode, NoClock, Options, Plane, Processor,
    RgbaFrame, Segmenter,
};

fn message<T: std::fmt::Debug>(r: anyhow::Result<T>) -> String {
    format!("{:#}", r.expect_err("expected an error"))
}

#[test]
fn frames_with_wrong_sizes_are_rejected() {
    let buf = vec![0u8; 100];
    let m = message(RgbaFrame::packed(&buf, 6, 5));
    assert!(
        m.contains("100 bytes") && m.contains("6x5") && m.contains("120"),
        "{m}"
    );
    let m = message(RgbaFrame::new(&buf, 5, 5, 16));
    assert!(m.contains("stride 16") && m.contains("width*4 = 20"), "{m}");
    let m = message(RgbaFrame::new(&buf, 5, 5, 24));
    assert!(m.contains("needs 116"), "{m}");
    let m = message(RgbaFrame::packed(&[], 0, 0));
    assert!(m.contains("zero size"), "{m}");
    let m = message(RgbaFrame::packed(&buf, 25, 0));
    assert!(m.contains("zero size"), "{m}");

    // I420 5x5: Y 25, U and V 3x3 = 9 each.
    let m = message(I420Frame::packed(&buf[..42], 5, 5));
    assert!(m.contains("42 bytes") && m.contains("43"), "{m}");
    let m = message(I420Frame::new(
        5,
        5,
        Plane::new(&buf, 5),
        Plane::new(&buf[..8], 3),
        Plane::new(&buf, 3),
    ));
    assert!(m.contains("U plane holds 8 bytes"), "{m}");
    let m = message(I420Frame::new(
        5,
        5,
        Plane::new(&buf, 4),
        Plane::new(&buf, 3),
        Plane::new(&buf, 3),
    ));
    assert!(m.contains("Y plane stride 4"), "{m}");
    let m = message(I420Frame::packed(&buf, 0, 7));
    assert!(m.contains("zero size"), "{m}");
}

#[test]
fn bad_model_bytes_are_rejected() {
    let m = message(Segmenter::from_onnx_bytes(&[]));
    assert!(m.contains("empty"), "{m}");
    let m = message(Segmenter::from_onnx_bytes(
        b"this is not an onnx model at all",
    ));
    assert!(m.contains("not a readable ONNX model"), "{m}");
    // A deterministic pseudo-random buffer.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert!(Segmenter::from_onnx_bytes(&noise).is_err());
    // The real model cut short.
    let real = common::general_model();
    let m = message(Segmenter::from_onnx_bytes(&real[..real.len() / 2]));
    assert!(m.contains("not a readable ONNX model"), "{m}");
    // Valid ONNX, wrong shapes.
    let m = message(Segmenter::from_onnx_bytes(&identity_model(&[1, 5, 7, 2])));
    assert!(m.contains("[1, 5, 7, 2]") && m.contains("neither"), "{m}");
    let m = message(Segmenter::from_onnx_bytes(&identity_model(&[1, 16, 16])));
    assert!(m.contains("rank 3"), "{m}");
    // Identity keeps 3 channels: the output is not a 1-channel mask.
    let m = message(Segmenter::from_onnx_bytes(&identity_model(&[1, 16, 16, 3])));
    assert!(m.contains("model output"), "{m}");
    // Through the processor, the message says which model failed.
    let m = message(Processor::from_onnx_bytes(Some(b"garbage"), None));
    assert!(m.contains("loading the general model"), "{m}");
    let m = message(Processor::from_onnx_bytes(None, None));
    assert!(m.contains("at least one model"), "{m}");
}

fn synthetic_processor() -> Processor {
    let model = Segmenter::from_onnx_bytes(&brightness_model(false, 32, 32)).unwrap();
    Processor::new(Some(model), None).unwrap()
}

#[test]
fn processing_rejects_bad_output_and_missing_pieces() {
    let mut p = synthetic_processor();
    let frame_data = vec![128u8; 8 * 6 * 4];
    let frame = Frame::Rgba(RgbaFrame::packed(&frame_data, 8, 6).unwrap());
    let mut short = vec![0u8; 8 * 6 * 4 - 1];
    let m = message(p.process(frame, &mut short, &NoClock));
    assert!(
        m.contains("output buffer holds 191 bytes") && m.contains("192"),
        "{m}"
    );

    let mut out = vec![0u8; 8 * 6 * 4];
    p.set_options(Options {
        mode: Mode::Replace,
        ..Options::default()
    })
    .unwrap();
    let m = message(p.process(frame, &mut out, &NoClock));
    assert!(m.contains("background image"), "{m}");

    p.set_options(Options::default()).unwrap();
    assert!(p.process(frame, &mut out, &NoClock).is_ok());
}

#[test]
fn bad_options_are_rejected_and_leave_the_old_ones() {
    let mut p = synthetic_processor();
    let before = *p.options();
    for bad in [
        Options {
            blur_strength: 1.5,
            ..before
        },
        Options {
            edge_softness: -0.1,
            ..before
        },
        Options {
            temporal_smoothing: f32::NAN,
            ..before
        },
        Options {
            light_wrap: f32::INFINITY,
            ..before
        },
    ] {
        assert!(p.set_options(bad).is_err());
        assert_eq!(*p.options(), before);
    }
    let m = message("sepia".parse::<Mode>());
    assert!(m.contains("sepia"), "{m}");
    let m = message(BackgroundImage::new(vec![0; 10], 2, 2));
    assert!(
        m.contains("background image") && m.contains("10 bytes"),
        "{m}"
    );
}
