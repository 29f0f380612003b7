"""RESIZE_BILINEAR → ONNX Resize (mode linear).

TFLite's two flags choose how output pixel centres map to input coordinates;
ONNX names the same mappings with `coordinate_transformation_mode`:
  align_corners        → "align_corners"
  half_pixel_centers   → "half_pixel"   (x_in = (x_out + 0.5) / scale - 0.5)
  neither              → "asymmetric"   (x_in = x_out / scale)
"""

from __future__ import annotations

import numpy as np
import tflite

from ..context import Context, nhwc_to_nchw, single_output
from ..tflite_graph import ConversionError, Operator


def convert_resize_bilinear(ctx: Context, op: Operator) -> None:
    options = op.options(tflite.ResizeBilinearOptions)
    if options.AlignCorners() and options.HalfPixelCenters():
        raise ConversionError(f"operator #{op.index} (RESIZE_BILINEAR): align_corners and half_pixel_centers "
                              "are both set")
    if options.AlignCorners():
        mode = "align_corners"
    elif options.HalfPixelCenters():
        mode = "half_pixel"
    else:
        mode = "asymmetric"
    out = single_output(op)
    size = [int(v) for v in ctx.constant(op.inputs[1]).reshape(-1)]
    if list(ctx.shape(out)[1:3]) != size:
        raise ConversionError(f"operator #{op.index} (RESIZE_BILINEAR): size {size} vs output {ctx.shape(out)}")
    sizes = ctx.initializer(np.array(nhwc_to_nchw(ctx.shape(out)), dtype=np.int64), f"{ctx.tensor_name(out)}/sizes")
    ctx.node("Resize", [ctx.value(op.inputs[0]), "", "", sizes], ctx.output_name(out),
             mode="linear", coordinate_transformation_mode=mode)
