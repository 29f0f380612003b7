"""Pixels: bilinear resizing, 8-bit 4:2:0 Y4M files and their RGB, a disk dilation.

Everything works on float32 numpy arrays, H x W or H x W x C, values in [0, 1].
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np


def _axis_weights(src: int, dst: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Half-pixel-centre bilinear taps along one axis, edge clamped, no antialiasing
    (what OpenCV's cv::resize INTER_LINEAR and models/reference.py do)."""
    x = (np.arange(dst, dtype=np.float64) + 0.5) * (src / dst) - 0.5
    x = np.clip(x, 0.0, src - 1)
    lo = np.floor(x).astype(np.int64)
    hi = np.minimum(lo + 1, src - 1)
    return lo, hi, (x - lo).astype(np.float32)


def bilinear_resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resizes an H x W or H x W x C array to `height` x `width`."""
    h, w = image.shape[:2]
    if (h, w) == (height, width):
        return image.astype(np.float32, copy=True)
    lo, hi, f = _axis_weights(h, height)
    f = f.reshape((-1,) + (1,) * (image.ndim - 1))
    rows = image[lo] * (1 - f) + image[hi] * f
    lo, hi, f = _axis_weights(w, width)
    f = f.reshape((1, -1) + (1,) * (image.ndim - 2))
    return (rows[:, lo] * (1 - f) + rows[:, hi] * f).astype(np.float32)


def letterbox_geometry(width: int, height: int, model_w: int, model_h: int) -> tuple[int, int, int, int]:
    """Uniform fit of a frame into the model input, centred: (inner_w, inner_h, left, top)."""
    scale = min(model_w / width, model_h / height)
    inner_w = max(1, min(model_w, round(width * scale)))
    inner_h = max(1, min(model_h, round(height * scale)))
    return inner_w, inner_h, (model_w - inner_w) // 2, (model_h - inner_h) // 2


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """Boolean dilation by a disk of `radius` pixels."""
    h, w = mask.shape
    padded = np.zeros((h + 2 * radius, w + 2 * radius), dtype=bool)
    padded[radius:radius + h, radius:radius + w] = mask
    out = np.zeros_like(mask)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dx * dx + dy * dy <= radius * radius:
                out |= padded[radius + dy:radius + dy + h, radius + dx:radius + dx + w]
    return out


def box_mean(image: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window, edges clamped (an integral image)."""
    padded = np.pad(image.astype(np.float64), radius, mode="edge")
    s = np.pad(padded.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    k = 2 * radius + 1
    h, w = image.shape
    total = s[k:k + h, k:k + w] - s[:h, k:k + w] - s[k:k + h, :w] + s[:h, :w]
    return (total / (k * k)).astype(np.float32)


# --- Y4M, 8-bit 4:2:0 ---------------------------------------------------------------------

class I420:
    """One 8-bit 4:2:0 frame: planes y (H x W), u and v (ceil(H/2) x ceil(W/2))."""

    def __init__(self, y: np.ndarray, u: np.ndarray, v: np.ndarray):
        self.y, self.u, self.v = y, u, v

    def rgb(self, full_range: bool = False) -> np.ndarray:
        """BT.601 RGB in [0, 1], each chroma sample used for its 2x2 block, as the core's
        color::i420_to_rgba does (its 16.16 fixed point rounds within 1/255 of this)."""
        h, w = self.y.shape
        u = np.repeat(np.repeat(self.u, 2, 0), 2, 1)[:h, :w].astype(np.float32) - 128
        v = np.repeat(np.repeat(self.v, 2, 0), 2, 1)[:h, :w].astype(np.float32) - 128
        if full_range:
            luma, cs = self.y.astype(np.float32), 1.0
        else:
            luma, cs = (self.y.astype(np.float32) - 16) * (255 / 219), 255 / 224
        kr, kb = 0.299, 0.114
        kg = 1 - kr - kb
        r = luma + cs * 2 * (1 - kr) * v
        b = luma + cs * 2 * (1 - kb) * u
        g = luma - cs * (2 * (1 - kb) * kb / kg * u + 2 * (1 - kr) * kr / kg * v)
        rgb = np.stack([r, g, b], axis=-1)
        return np.clip(np.rint(rgb), 0, 255).astype(np.float32) / 255


def write_y4m(path: Path, frames: list[I420], fps: tuple[int, int]) -> None:
    h, w = frames[0].y.shape
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F{fps[0]}:{fps[1]} Ip A1:1 C420jpeg\n".encode())
        for f in frames:
            out.write(b"FRAME\n")
            for plane in (f.y, f.u, f.v):
                out.write(np.ascontiguousarray(plane, dtype=np.uint8).tobytes())


def read_y4m(path: Path, limit: int) -> Iterator[I420]:
    """The first `limit` frames of an 8-bit 4:2:0 Y4M file (frame parameters ignored)."""
    with open(path, "rb") as f:
        header = f.readline().decode().split()
        if not header or header[0] != "YUV4MPEG2":
            raise ValueError(f"{path}: not a Y4M file")
        params = {p[0]: p[1:] for p in header[1:]}
        if not params.get("C", "420").startswith("420"):
            raise ValueError(f"{path}: only 4:2:0 Y4M is supported, got C{params['C']}")
        w, h = int(params["W"]), int(params["H"])
        cw, ch = (w + 1) // 2, (h + 1) // 2
        for _ in range(limit):
            if not f.readline().startswith(b"FRAME"):
                return
            y = np.frombuffer(f.read(w * h), np.uint8).reshape(h, w)
            u = np.frombuffer(f.read(cw * ch), np.uint8).reshape(ch, cw)
            v = np.frombuffer(f.read(cw * ch), np.uint8).reshape(ch, cw)
            yield I420(y, u, v)
