//! `backdrop eval`: predicted masks against reference masks, matched by file name.

use anyhow::{ensure, Context, Result};
use backdrop_core::metrics::{boundary_f_score, flicker, iou};
use image::GrayImage;
use std::path::{Path, PathBuf};

fn png_names(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".png"))
        .collect();
    names.sort();
    Ok(names)
}

fn read_mask(path: &PathBuf) -> Result<GrayImage> {
    Ok(image::open(path)
        .with_context(|| format!("cannot read mask {}", path.display()))?
        .to_luma8())
}

/// Scores every mask of `reference` against the mask of the same name in `pred` and
/// prints a table; with `sequence`, also the flicker of both (files in name order).
pub fn eval(pred: &Path, reference: &Path, tolerance: usize, sequence: bool) -> Result<()> {
    let names = png_names(reference)?;
    ensure!(
        !names.is_empty(),
        "{} holds no .png masks",
        reference.display()
    );
    let (mut preds, mut refs) = (Vec::new(), Vec::new());
    println!(
        "{:<32} {:>8} {:>12}",
        "mask",
        "IoU",
        format!("BF@{tolerance}px")
    );
    let (mut iou_sum, mut bf_sum) = (0.0, 0.0);
    for name in &names {
        let p = read_mask(&pred.join(name)).with_context(|| format!("prediction for {name}"))?;
        let r = read_mask(&reference.join(name))?;
        ensure!(
            p.dimensions() == r.dimensions(),
            "{name}: prediction is {:?} but reference is {:?}",
            p.dimensions(),
            r.dimensions()
        );
        let (w, h) = r.dimensions();
        let score = iou(p.as_raw(), r.as_raw())?;
        let bf = boundary_f_score(p.as_raw(), r.as_raw(), w as usize, h as usize, tolerance)?;
        println!("{name:<32} {score:>8.4} {bf:>12.4}");
        (iou_sum, bf_sum) = (iou_sum + score, bf_sum + bf);
        if sequence {
            preds.push(p.into_raw());
            refs.push(r.into_raw());
        }
    }
    let n = names.len() as f64;
    println!(
        "{:<32} {:>8.4} {:>12.4}",
        format!("mean of {}", names.len()),
        iou_sum / n,
        bf_sum / n
    );
    if sequence {
        println!(
            "flicker (mean abs frame-to-frame change): prediction {:.5}, reference {:.5}",
            flicker(&preds)?,
            flicker(&refs)?
        );
    }
    Ok(())
}
