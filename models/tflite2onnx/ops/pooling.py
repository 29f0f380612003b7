"""Spatial averaging: AVERAGE_POOL_2D and MEAN.

Both graphs only average over the whole feature map (squeeze-and-excitation
blocks); that becomes ONNX GlobalAveragePool. Windowed pooling is also mapped,
with TFLite's rule that padded pixels do not count in the average.
"""

from __future__ import annotations

import tflite

from ..context import Context, single_output
from ..tflite_graph import ConversionError, Operator
from .activation import output_with_activation
from .conv import tflite_padding


def convert_average_pool_2d(ctx: Context, op: Operator) -> None:
    options = op.options(tflite.Pool2DOptions)
    _, in_h, in_w, _ = ctx.shape(op.inputs[0])
    linear, finish = output_with_activation(ctx, op, options.FusedActivationFunction())
    kernel = (options.FilterHeight(), options.FilterWidth())
    if kernel == (in_h, in_w) and tuple(ctx.shape(single_output(op))[1:3]) == (1, 1):
        ctx.node("GlobalAveragePool", [ctx.value(op.inputs[0])], linear)
    else:
        top, bottom, _ = tflite_padding(options.Padding(), in_h, kernel[0], options.StrideH(), 1)
        left, right, _ = tflite_padding(options.Padding(), in_w, kernel[1], options.StrideW(), 1)
        ctx.node("AveragePool", [ctx.value(op.inputs[0])], linear, kernel_shape=list(kernel),
                 strides=[options.StrideH(), options.StrideW()], pads=[top, left, bottom, right],
                 count_include_pad=0)
    finish()


def convert_mean(ctx: Context, op: Operator) -> None:
    options = op.options(tflite.ReducerOptions)
    rank = len(ctx.shape(op.inputs[0]))
    axes = sorted(int(a) % rank for a in ctx.constant(op.inputs[1]).reshape(-1))
    if rank != 4 or axes != [1, 2] or not options.KeepDims():
        raise ConversionError(f"operator #{op.index} (MEAN): only the mean over H and W of an NHWC tensor "
                              f"with keep_dims is supported, got axes {axes} of rank {rank}, "
                              f"keep_dims={options.KeepDims()}")
    ctx.node("GlobalAveragePool", [ctx.value(op.inputs[0])], ctx.output_name(single_output(op)))
