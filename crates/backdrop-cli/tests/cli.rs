//! The `backdrop` binary end to end on a real photograph and a Y4M clip made from it.
//! Needs `bash models/build.sh` (models and photographs); fails with that hint otherwise.

use backdrop_core::input::color::rgba_to_i420;
use backdrop_core::input::frame::chroma_size;
use backdrop_core::{RgbaFrame, YuvColorSpace};
use image::imageops::{resize, FilterType};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn models() -> PathBuf {
    let dir = repo().join("models/build");
    assert!(
        dir.join("selfie_general.onnx").exists(),
        "{} has no models: run `bash models/build.sh`",
        dir.display()
    );
    dir
}

fn photo(name: &str) -> PathBuf {
    let path = repo().join("models/build/images").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `bash models/build.sh`",
        path.display()
    );
    path
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    path
}

fn backdrop(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_backdrop"))
        .args(args)
        .output()
        .unwrap();
    eprintln!(
        "backdrop {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn ok(args: &[&str]) -> String {
    let out = backdrop(args);
    assert!(out.status.success(), "backdrop {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str], message: &str) {
    let out = backdrop(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains(message),
        "backdrop {args:?}: {stderr}"
    );
}

#[test]
fn pictures_in_every_mode_and_their_mask() {
    let models = models();
    let m = models.to_str().unwrap();
    let input = photo("12-webcam-blue-wall.png");
    let input = input.to_str().unwrap();
    let bg = photo("08-portrait-garden.png");
    let mask = scratch("mask.png");
    ok(&["mask", "--model-dir", m, input, mask.to_str().unwrap()]);
    let mask = image::open(&mask).unwrap().to_luma8();
    let original = image::open(input).unwrap().to_rgba8();
    assert_eq!(mask.dimensions(), original.dimensions());

    let removed = scratch("removed.png");
    ok(&[
        "process",
        "--model-dir",
        m,
        "--mode",
        "remove",
        "--color",
        "#00b140",
        input,
        removed.to_str().unwrap(),
    ]);
    let removed = image::open(&removed).unwrap().to_rgba8();
    let mut background = 0;
    for ((o, i), &k) in removed.pixels().zip(original.pixels()).zip(mask.as_raw()) {
        if k == 0 {
            assert_eq!(o.0, [0, 0xb1, 0x40, 255]);
            background += 1;
        } else if k == 255 {
            assert_eq!(o, i);
        }
    }
    assert!(background > 1000);

    for (mode, extra) in [
        ("blur", vec!["--blur", "0.8"]),
        ("replace", vec!["--background", bg.to_str().unwrap()]),
    ] {
        let out = scratch(&format!("{mode}.png"));
        let mut args = vec!["process", "--model-dir", m, "--mode", mode];
        args.extend(extra);
        args.extend([input, out.to_str().unwrap()]);
        ok(&args);
        assert_eq!(
            image::open(&out).unwrap().to_rgba8().dimensions(),
            original.dimensions()
        );
    }
}

#[test]
fn people_main_by_default_and_all_on_request() {
    let models = models();
    let m = models.to_str().unwrap();
    // Two people apart: one is the caller.
    let input = photo("06-basketball-gray.png");
    let input = input.to_str().unwrap();
    let person_pixels = |extra: &[&str], name: &str| {
        let out = scratch(name);
        let mut args = vec!["mask", "--model-dir", m];
        args.extend(extra);
        args.extend([input, out.to_str().unwrap()]);
        ok(&args);
        let mask = image::open(&out).unwrap().to_luma8();
        mask.as_raw().iter().filter(|&&v| v >= 128).count()
    };
    let main = person_pixels(&[], "people-default.png");
    let all = person_pixels(&["--people", "all"], "people-all.png");
    assert_eq!(person_pixels(&["--people", "main"], "people-main.png"), main);
    assert!(main > 0 && main < all, "main {main}, all {all}");
    fails(&["mask", "--model-dir", m, "--people", "some", input, "/tmp/x.png"], "people");
}

/// Writes a 4:2:0 Y4M of the photograph sliding right 3 px per frame.
fn write_clip(path: &Path, frames: u32) -> (u32, u32) {
    let img = resize(
        &image::open(photo("14-portrait-white.png"))
            .unwrap()
            .to_rgba8(),
        271,
        361,
        FilterType::Triangle,
    );
    let (w, h) = img.dimensions();
    let file = std::fs::File::create(path).unwrap();
    let mut enc = y4m::encode(w as usize, h as usize, y4m::Ratio::new(30, 1))
        .with_colorspace(y4m::Colorspace::C420jpeg)
        .write_header(file)
        .unwrap();
    let (cw, ch) = chroma_size(w, h);
    for f in 0..frames {
        let shifted =
            image::RgbaImage::from_fn(w, h, |x, y| *img.get_pixel(x.saturating_sub(3 * f), y));
        let (mut yp, mut u, mut v) = (
            vec![0; (w * h) as usize],
            vec![0; (cw * ch) as usize],
            vec![0; (cw * ch) as usize],
        );
        let frame = RgbaFrame::packed(shifted.as_raw(), w, h).unwrap();
        rgba_to_i420(&frame, YuvColorSpace::default(), &mut yp, &mut u, &mut v).unwrap();
        enc.write_frame(&y4m::Frame::new([&yp, &u, &v], None))
            .unwrap();
    }
    (w, h)
}

#[test]
fn y4m_video_in_and_out_and_masks_per_frame() {
    let models = models();
    let m = models.to_str().unwrap();
    let clip = scratch("clip.y4m");
    let (w, h) = write_clip(&clip, 4);
    let out = scratch("blurred.y4m");
    ok(&[
        "process",
        "--model-dir",
        m,
        "--mode",
        "blur",
        clip.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    let mut dec = y4m::decode(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(
        (dec.get_width(), dec.get_height()),
        (w as usize, h as usize)
    );
    let mut frames = 0;
    while dec.read_frame().is_ok() {
        frames += 1;
    }
    assert_eq!(frames, 4);

    let masks = scratch("masks");
    ok(&[
        "mask",
        "--model-dir",
        m,
        clip.to_str().unwrap(),
        masks.to_str().unwrap(),
    ]);
    let mut names: Vec<_> = std::fs::read_dir(&masks)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["00000.png", "00001.png", "00002.png", "00003.png"]);

    // Scoring the masks against themselves is perfect; the table has one row per mask.
    let table = ok(&[
        "eval",
        "--pred",
        masks.to_str().unwrap(),
        "--ref",
        masks.to_str().unwrap(),
        "--sequence",
    ]);
    print!("{table}");
    assert!(
        table.contains("mean of 4") && table.contains("1.0000"),
        "{table}"
    );
    assert!(table.contains("flicker"), "{table}");
}

#[test]
fn eval_scores_and_rejects_mismatches() {
    let (pred, reference) = (scratch("pred"), scratch("ref"));
    std::fs::create_dir_all(&pred).unwrap();
    std::fs::create_dir_all(&reference).unwrap();
    // Reference: a 20x20 square; prediction: the same square shifted by 2 px.
    let square = |offset: u32| {
        image::GrayImage::from_fn(64, 64, |x, y| {
            let inside = (20 + offset..40 + offset).contains(&x) && (20..40).contains(&y);
            image::Luma([if inside { 255 } else { 0 }])
        })
    };
    square(0).save(reference.join("a.png")).unwrap();
    square(2).save(pred.join("a.png")).unwrap();
    let table = ok(&[
        "eval",
        "--pred",
        pred.to_str().unwrap(),
        "--ref",
        reference.to_str().unwrap(),
        "--tolerance",
        "2",
    ]);
    // IoU = 18*20 / (22*20) = 0.8182; every boundary pixel is within 2 px: BF = 1.
    assert!(
        table.contains("0.8182") && table.contains("1.0000"),
        "{table}"
    );

    image::GrayImage::new(10, 10)
        .save(reference.join("b.png"))
        .unwrap();
    fails(
        &[
            "eval",
            "--pred",
            pred.to_str().unwrap(),
            "--ref",
            reference.to_str().unwrap(),
        ],
        "prediction for b.png",
    );
    image::GrayImage::new(11, 10)
        .save(pred.join("b.png"))
        .unwrap();
    fails(
        &[
            "eval",
            "--pred",
            pred.to_str().unwrap(),
            "--ref",
            reference.to_str().unwrap(),
        ],
        "b.png: prediction is (11, 10)",
    );
}

#[test]
fn bad_arguments_fail_with_a_reason() {
    fails(
        &["process", "--mode", "sepia", "a.png", "b.png"],
        "unknown mode 'sepia'",
    );
    fails(&["process", "--color", "#12", "a.png", "b.png"], "#rrggbb");
    fails(
        &["process", "--model-dir", "/nonexistent", "a.png", "b.png"],
        "run `bash models/build.sh`",
    );
    let models = models();
    let m = models.to_str().unwrap();
    let input = photo("12-webcam-blue-wall.png");
    fails(
        &[
            "process",
            "--model-dir",
            m,
            input.to_str().unwrap(),
            "out.y4m",
        ],
        "only be written as a .png",
    );
    fails(
        &[
            "process",
            "--model-dir",
            m,
            "--mode",
            "replace",
            input.to_str().unwrap(),
            "/tmp/x.png",
        ],
        "background image",
    );
    fails(
        &[
            "process",
            "--model-dir",
            m,
            "--blur",
            "3",
            input.to_str().unwrap(),
            "/tmp/x.png",
        ],
        "blurStrength must be a number from 0 to 1, got 3",
    );
    fails(
        &["process", "--model-dir", m, "missing.png", "/tmp/x.png"],
        "cannot read picture missing.png",
    );
    fails(
        &["mask", "--model-dir", m, "notes.txt", "/tmp/x.png"],
        "unsupported file type",
    );
}
