"""Binary element-wise arithmetic with broadcasting: ADD, MUL."""

from __future__ import annotations

import numpy as np
import tflite

from ..context import Context
from ..tflite_graph import ConversionError, Operator
from .activation import output_with_activation

_ONNX_OP = {"ADD": ("Add", tflite.AddOptions), "MUL": ("Mul", tflite.MulOptions)}


def _operand(ctx: Context, op: Operator, tensor: int) -> str:
    """An activation as is; a constant turned into an NCHW-broadcastable initializer."""
    if not ctx.is_constant(tensor):
        return ctx.value(tensor)
    array = ctx.constant(tensor).astype(np.float32)
    if array.ndim <= 1:  # a scalar or a per-channel vector over the last (C) axis
        array = array.reshape((-1, 1, 1)) if array.ndim == 1 else array
    elif array.ndim == 4:
        array = array.transpose(0, 3, 1, 2)
    else:
        raise ConversionError(f"operator #{op.index} ({op.kind}): constant operand of rank {array.ndim}")
    return ctx.initializer(array, ctx.tensor_name(tensor))


def convert_binary(ctx: Context, op: Operator) -> None:
    onnx_op, options_class = _ONNX_OP[op.kind]
    if len(op.inputs) != 2:
        raise ConversionError(f"operator #{op.index} ({op.kind}) has {len(op.inputs)} inputs, expected 2")
    for tensor in op.inputs:
        if len(ctx.shape(tensor)) not in (0, 1, 4):
            raise ConversionError(f"operator #{op.index} ({op.kind}): operand rank {len(ctx.shape(tensor))}")
    activation = op.options(options_class).FusedActivationFunction() if op.raw.BuiltinOptions() else 0
    linear, finish = output_with_activation(ctx, op, activation)
    ctx.node(onnx_op, [_operand(ctx, op, t) for t in op.inputs], linear)
    finish()
