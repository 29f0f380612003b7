"""How much the framing of the model input changes the mask: stretch vs letterbox.

MediaPipe stretches the whole frame to the model's input size. A pipeline may
instead letterbox it (uniform scale, centred, borders filled by replicating
the frame's edge pixels). For every test photograph and both models this
runs the official TFLite interpreter on both inputs, maps both masks back to
the photograph's resolution (bilinear) and prints the IoU of the two masks
thresholded at 0.5. It measures agreement, not accuracy: there is no ground
truth mask.

Usage (after build.sh): models/.venv/bin/python models/framing_check.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType
from PIL import Image

from reference import bilinear_resize, rewrite_custom_transpose_conv

MODELS = Path(__file__).resolve().parent
GRAPHS = {
    "general": MODELS / "node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite",
    "landscape": MODELS / "node_modules/@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite",
}


class Segmenter:
    def __init__(self, tflite: Path):
        self.interpreter = Interpreter(model_content=rewrite_custom_transpose_conv(tflite.read_bytes()),
                                       experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]
        self.output = self.interpreter.get_output_details()[0]
        _, self.height, self.width, _ = (int(d) for d in self.input["shape"])

    def __call__(self, rgb: np.ndarray) -> np.ndarray:
        self.interpreter.set_tensor(self.input["index"], rgb[None].astype(np.float32))
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self.output["index"])[0]  # H × W × 1


def stretched_mask(segment: Segmenter, rgb: np.ndarray) -> np.ndarray:
    h, w, _ = rgb.shape
    return bilinear_resize(segment(bilinear_resize(rgb, segment.height, segment.width)), h, w)[:, :, 0]


def letterboxed_mask(segment: Segmenter, rgb: np.ndarray) -> np.ndarray:
    h, w, _ = rgb.shape
    scale = min(segment.width / w, segment.height / h)
    inner_w, inner_h = round(w * scale), round(h * scale)
    left, top = (segment.width - inner_w) // 2, (segment.height - inner_h) // 2
    inner = bilinear_resize(rgb, inner_h, inner_w)
    padded = np.pad(inner, ((top, segment.height - inner_h - top), (left, segment.width - inner_w - left), (0, 0)),
                    mode="edge")
    mask = segment(padded)[top:top + inner_h, left:left + inner_w]
    return bilinear_resize(mask, h, w)[:, :, 0]


def main() -> None:
    images = sorted((MODELS / "build/images").glob("*.png"))
    if not images:
        raise SystemExit("no images in models/build/images: run `bash models/build.sh` first")
    for name, graph in GRAPHS.items():
        segment = Segmenter(graph)
        ious = []
        for path in images:
            rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
            a = stretched_mask(segment, rgb) > 0.5
            b = letterboxed_mask(segment, rgb) > 0.5
            union = int((a | b).sum())
            iou = (a & b).sum() / union if union else 1.0
            ious.append(iou)
            print(f"{name:9} {path.name:28} {rgb.shape[1]:4}x{rgb.shape[0]:<4} stretch vs letterbox IoU {iou:.3f}")
        print(f"{name:9} mean IoU {np.mean(ious):.3f}, min {np.min(ious):.3f}")


if __name__ == "__main__":
    main()
