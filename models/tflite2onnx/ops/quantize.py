"""DEQUANTIZE of constant float16 weights: folded into float32 constants.

The MediaPipe graphs store every weight as float16 followed by a DEQUANTIZE
op. The converter evaluates those ops once, here, so the ONNX file holds
plain float32 initializers (float16 → float32 is exact).
"""

from __future__ import annotations

import numpy as np

from ..context import Context, single_output
from ..tflite_graph import ConversionError, Operator


def convert_dequantize(ctx: Context, op: Operator) -> None:
    source = op.inputs[0]
    if not ctx.is_constant(source):
        raise ConversionError(f"operator #{op.index} (DEQUANTIZE): input {ctx.tensor_name(source)!r} is not a "
                              "constant; only constant float16 weights are supported")
    value = ctx.constant(source)
    if value.dtype != np.float16:
        raise ConversionError(f"operator #{op.index} (DEQUANTIZE): input type {value.dtype}, only float16 is "
                              "supported")
    ctx.set_constant(single_output(op), value.astype(np.float32))
