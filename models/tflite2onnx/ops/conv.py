"""Convolutions: CONV_2D, DEPTHWISE_CONV_2D and MediaPipe's Convolution2DTransposeBias.

TFLite stores kernels OHWI (depthwise: 1HW(C*multiplier)); ONNX wants OIHW
for Conv and IOHW for ConvTranspose. Kernels are transposed here, in numpy.
TFLite's SAME padding puts the odd extra pixel at the end (bottom/right);
it is written as explicit ONNX `pads` so that no runtime has to guess.
"""

from __future__ import annotations

import struct

import numpy as np
import tflite
from tflite.Padding import Padding

from ..context import Context, nhwc_to_nchw, single_output
from ..tflite_graph import ConversionError, Operator
from .activation import output_with_activation


def tflite_padding(padding: int, size_in: int, kernel: int, stride: int, dilation: int) -> tuple[int, int, int]:
    """(pad_begin, pad_end, size_out) of one spatial axis under TFLite padding rules."""
    effective = (kernel - 1) * dilation + 1
    if padding == Padding.VALID:
        return 0, 0, (size_in - effective) // stride + 1
    if padding == Padding.SAME:
        size_out = -(-size_in // stride)
        total = max((size_out - 1) * stride + effective - size_in, 0)
        return total // 2, total - total // 2, size_out
    raise ConversionError(f"unknown TFLite padding {padding}")


def _conv_attributes(ctx: Context, op: Operator, options, kernel_hw: tuple[int, int]) -> dict:
    _, in_h, in_w, _ = ctx.shape(op.inputs[0])
    strides = (options.StrideH(), options.StrideW())
    dilations = (options.DilationHFactor(), options.DilationWFactor())
    top, bottom, out_h = tflite_padding(options.Padding(), in_h, kernel_hw[0], strides[0], dilations[0])
    left, right, out_w = tflite_padding(options.Padding(), in_w, kernel_hw[1], strides[1], dilations[1])
    expected = ctx.shape(single_output(op))[1:3]
    if (out_h, out_w) != tuple(expected):
        raise ConversionError(f"operator #{op.index} ({op.kind}): computed output {out_h}x{out_w}, "
                              f"TFLite says {expected[0]}x{expected[1]}")
    return {
        "kernel_shape": list(kernel_hw),
        "strides": list(strides),
        "dilations": list(dilations),
        "pads": [top, left, bottom, right],
    }


def _bias_inputs(ctx: Context, op: Operator, channels: int) -> list[str]:
    if len(op.inputs) < 3 or op.inputs[2] < 0:
        return []
    bias = ctx.constant(op.inputs[2]).astype(np.float32)
    if bias.shape != (channels,):
        raise ConversionError(f"operator #{op.index} ({op.kind}): bias shape {bias.shape}, expected ({channels},)")
    return [ctx.initializer(bias, f"{ctx.tensor_name(op.inputs[2])}")]


def convert_conv_2d(ctx: Context, op: Operator) -> None:
    options = op.options(tflite.Conv2DOptions)
    kernel = ctx.constant(op.inputs[1]).astype(np.float32)  # O H W I
    out_channels, kh, kw, in_channels = kernel.shape
    if in_channels != ctx.shape(op.inputs[0])[3]:
        raise ConversionError(f"operator #{op.index} (CONV_2D): grouped convolution is not supported")
    weights = ctx.initializer(kernel.transpose(0, 3, 1, 2), ctx.tensor_name(op.inputs[1]))
    linear, finish = output_with_activation(ctx, op, options.FusedActivationFunction())
    ctx.node("Conv", [ctx.value(op.inputs[0]), weights] + _bias_inputs(ctx, op, out_channels), linear,
             group=1, **_conv_attributes(ctx, op, options, (kh, kw)))
    finish()


def convert_depthwise_conv_2d(ctx: Context, op: Operator) -> None:
    options = op.options(tflite.DepthwiseConv2DOptions)
    kernel = ctx.constant(op.inputs[1]).astype(np.float32)  # 1 H W (C * multiplier)
    _, kh, kw, out_channels = kernel.shape
    in_channels = ctx.shape(op.inputs[0])[3]
    if out_channels != in_channels * options.DepthMultiplier():
        raise ConversionError(f"operator #{op.index} (DEPTHWISE_CONV_2D): {out_channels} output channels "
                              f"for {in_channels} inputs × multiplier {options.DepthMultiplier()}")
    # Output channel c*m + j reads input channel c: exactly ONNX's grouping with group = C.
    weights = ctx.initializer(kernel.transpose(3, 0, 1, 2), ctx.tensor_name(op.inputs[1]))
    linear, finish = output_with_activation(ctx, op, options.FusedActivationFunction())
    ctx.node("Conv", [ctx.value(op.inputs[0]), weights] + _bias_inputs(ctx, op, out_channels), linear,
             group=in_channels, **_conv_attributes(ctx, op, options, (kh, kw)))
    finish()


# MediaPipe's custom options are a raw C struct, TfLiteTransposeConvParams:
# {TfLitePadding padding; int stride_width; int stride_height; ...}, where the
# C enum TfLitePadding is 0 = unknown, 1 = SAME, 2 = VALID (not the schema's).
_C_PADDING_SAME, _C_PADDING_VALID = 1, 2


def convert_transpose_conv_bias(ctx: Context, op: Operator) -> None:
    """MediaPipe's Convolution2DTransposeBias: a transposed convolution plus bias.

    Semantics from mediapipe/util/tflite/operations/transpose_conv_bias.cc:
    with SAME padding, total = max(0, k - (in - 1) % stride - 1) pixels are
    cut, total // 2 at the start and the rest at the end, giving an output
    of stride * (in - 1) + k - total pixels.
    """
    if len(op.custom_options) < 12:
        raise ConversionError(f"operator #{op.index} ({op.kind}): custom options too short "
                              f"({len(op.custom_options)} bytes)")
    padding, stride_w, stride_h = struct.unpack_from("<iii", op.custom_options)
    if padding not in (_C_PADDING_SAME, _C_PADDING_VALID):
        raise ConversionError(f"operator #{op.index} ({op.kind}): padding code {padding} unknown")
    kernel = ctx.constant(op.inputs[1]).astype(np.float32)  # O H W I
    out_channels, kh, kw, in_channels = kernel.shape
    _, in_h, in_w, x_channels = ctx.shape(op.inputs[0])
    if x_channels != in_channels:
        raise ConversionError(f"operator #{op.index} ({op.kind}): kernel expects {in_channels} channels, "
                              f"input has {x_channels}")

    def cut(size_in: int, k: int, stride: int) -> tuple[int, int, int]:
        total = max(0, k - (size_in - 1) % stride - 1) if padding == _C_PADDING_SAME else 0
        return total // 2, total - total // 2, stride * (size_in - 1) + k - total

    top, bottom, out_h = cut(in_h, kh, stride_h)
    left, right, out_w = cut(in_w, kw, stride_w)
    out = single_output(op)
    if nhwc_to_nchw(ctx.shape(out)) != (1, out_channels, out_h, out_w):
        raise ConversionError(f"operator #{op.index} ({op.kind}): computed output {out_h}x{out_w}x{out_channels}, "
                              f"TFLite says {ctx.shape(out)}")
    weights = ctx.initializer(kernel.transpose(3, 0, 1, 2), ctx.tensor_name(op.inputs[1]))  # I O H W
    ctx.node("ConvTranspose",
             [ctx.value(op.inputs[0]), weights] + _bias_inputs(ctx, op, out_channels),
             ctx.output_name(out),
             kernel_shape=[kh, kw], strides=[stride_h, stride_w], pads=[top, left, bottom, right])
