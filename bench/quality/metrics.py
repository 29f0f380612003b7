"""Scores of a predicted mask against the reference alpha (both H x W in [0, 1]).

- IoU at 0.5: |pred >= 0.5 and ref >= 0.5| / |either|; 1 when both are empty.
- MAE: mean |pred - ref| over the frame, and over the boundary band: the pixels whose
  reference alpha is in (0.05, 0.95), dilated by a disk of 5 px. None when the band is empty.
- Static-region flicker (clips): the mean |pred_t - pred_t-1| over the pixels that do not
  change between the two frames: the reference alpha moves by less than 0.02 and the
  frame's luma, averaged over 5 x 5 pixels (sensor noise), by less than 3/255; and the
  same over the static pixels of the boundary band only (where a mask can flicker at all).
"""

from __future__ import annotations

import numpy as np

from imaging import box_mean, dilate

BAND_LOW, BAND_HIGH, BAND_DILATION = 0.05, 0.95, 5
STATIC_ALPHA, STATIC_LUMA, STATIC_LUMA_RADIUS = 0.02, 3 / 255, 2


def boundary_band(ref: np.ndarray) -> np.ndarray:
    return dilate((ref > BAND_LOW) & (ref < BAND_HIGH), BAND_DILATION)


def score(pred: np.ndarray, ref: np.ndarray, band: np.ndarray | None = None) -> dict:
    if pred.shape != ref.shape:
        raise ValueError(f"prediction is {pred.shape} but the reference is {ref.shape}")
    if band is None:
        band = boundary_band(ref)
    p, r = pred >= 0.5, ref >= 0.5
    union = int((p | r).sum())
    err = np.abs(pred - ref)
    return {
        "iou": float((p & r).sum() / union) if union else 1.0,
        "mae": float(err.mean()),
        "band_mae": float(err[band].mean()) if band.any() else None,
        "band_pixels": int(band.sum()),
    }


def static_region(ref_prev: np.ndarray, ref: np.ndarray, luma_prev: np.ndarray, luma: np.ndarray) -> np.ndarray:
    moved_alpha = np.abs(ref - ref_prev) >= STATIC_ALPHA
    moved_luma = np.abs(box_mean(luma, STATIC_LUMA_RADIUS) - box_mean(luma_prev, STATIC_LUMA_RADIUS)) >= STATIC_LUMA
    return ~(moved_alpha | moved_luma)


class Flicker:
    """Sums |pred_t - pred_t-1| over each frame pair's static region."""

    def __init__(self) -> None:
        self.total, self.pixels, self.prev = 0.0, 0, None

    def add(self, pred: np.ndarray, static: np.ndarray | None) -> None:
        if self.prev is not None and static is not None:
            self.total += float(np.abs(pred - self.prev)[static].sum())
            self.pixels += int(static.sum())
        self.prev = pred

    def value(self) -> float | None:
        return self.total / self.pixels if self.pixels else None
