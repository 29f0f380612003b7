"""The masks being compared, all as H x W float32 in [0, 1] at the frame's resolution:

- `Rvm`: Robust Video Matting (MobileNetV3, fp32 ONNX), the reference alpha;
- `MediaPipeRaw`: our ONNX conversion of a MediaPipe selfie model run with onnxruntime the
  way MediaPipe frames it (whole frame stretched to the input, bilinear upsample of the
  output), or letterboxed the way Backdrop's core frames it;
- `backdrop_masks`: the native CLI, `backdrop mask`, for one configuration.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

from imaging import bilinear_resize, letterbox_geometry

THREADS = 2  # the machine's cores; the evaluation runs one model at a time


def _session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class Rvm:
    """RVM over one clip (or one still): the recurrent state starts at zeros and carries
    from frame to frame until `reset`."""

    def __init__(self, onnx: Path):
        self.session = _session(onnx)
        self.reset()

    def reset(self) -> None:
        self.state = [np.zeros((1, 1, 1, 1), np.float32) for _ in range(4)]

    def __call__(self, rgb: np.ndarray) -> np.ndarray:
        h, w, _ = rgb.shape
        ratio = np.array([min(1.0, 480 / max(h, w))], np.float32)
        src = np.ascontiguousarray(rgb.transpose(2, 0, 1)[None], np.float32)
        feeds = {"src": src, "downsample_ratio": ratio}
        feeds.update({f"r{i + 1}i": s for i, s in enumerate(self.state)})
        _fgr, pha, *self.state = self.session.run(["fgr", "pha", "r1o", "r2o", "r3o", "r4o"], feeds)
        return np.clip(pha[0, 0], 0, 1).astype(np.float32)

    def still(self, rgb: np.ndarray, passes: int) -> np.ndarray:
        """A photograph as a still clip of `passes` identical frames, from zeros: RVM is
        recurrent, and its first frame is its roughest (holes in clothing, a person at the
        edge missed); the last frame's alpha is the reference."""
        self.reset()
        for _ in range(passes - 1):
            self(rgb)
        return self(rgb)


class MediaPipeRaw:
    """A selfie model (NCHW `image` [1, 3, H, W], RGB in [0, 1], output `mask`
    [1, 1, H, W] probability: models/MODELS.md) run with onnxruntime."""

    def __init__(self, onnx: Path):
        self.session = _session(onnx)
        shape = self.session.get_inputs()[0].shape
        if len(shape) != 4 or shape[1] != 3:
            raise ValueError(f"{onnx}: expected an NCHW input [1, 3, H, W], got {shape}")
        self.height, self.width = int(shape[2]), int(shape[3])

    def _run(self, model_rgb: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(model_rgb.transpose(2, 0, 1)[None], np.float32)
        return self.session.run(None, {"image": x})[0][0, 0]

    def stretched(self, rgb: np.ndarray) -> np.ndarray:
        """MediaPipe's framing: keep_aspect_ratio false, then cv::resize of the mask."""
        h, w, _ = rgb.shape
        mask = self._run(bilinear_resize(rgb, self.height, self.width))
        return np.clip(bilinear_resize(mask, h, w), 0, 1)

    def letterboxed(self, rgb: np.ndarray) -> np.ndarray:
        """Uniform scale, centred, the frame's edge pixels replicated into the borders (the
        core's framing, with bilinear rather than area resampling); the mask of the frame's
        part is cropped and resized back."""
        h, w, _ = rgb.shape
        inner_w, inner_h, left, top = letterbox_geometry(w, h, self.width, self.height)
        inner = bilinear_resize(rgb, inner_h, inner_w)
        padded = np.pad(inner, ((top, self.height - inner_h - top), (left, self.width - inner_w - left), (0, 0)),
                        mode="edge")
        mask = self._run(padded)[top:top + inner_h, left:left + inner_w]
        return np.clip(bilinear_resize(mask, h, w), 0, 1)


def read_mask_png(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255


def backdrop_masks(cli: Path, model_dir: Path, args: list[str], source: Path, frames: int | None) -> list[np.ndarray]:
    """Runs `backdrop mask` on a picture (one mask) or a Y4M clip (`frames` masks)."""
    with tempfile.TemporaryDirectory(prefix="backdrop-quality-") as tmp:
        out = Path(tmp) / ("mask.png" if source.suffix != ".y4m" else "masks")
        # Everyone the model finds (`--people all`): the reference mattes every person in a
        # picture, and this measures boundaries, not which people are kept; "only me"
        # (`people: main`, the product's default) has its own tests in the core.
        cmd = [str(cli), "mask", "--model-dir", str(model_dir), "--people", "all", *args, str(source), str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.strip()}")
        if source.suffix != ".y4m":
            return [read_mask_png(out)]
        paths = sorted(out.glob("*.png"))
        if frames is not None and len(paths) != frames:
            raise RuntimeError(f"{' '.join(cmd)} wrote {len(paths)} masks, expected {frames}")
        return [read_mask_png(p) for p in paths]
