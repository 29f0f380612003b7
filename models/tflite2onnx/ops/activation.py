"""Element-wise activations: RELU, LOGISTIC, HARD_SWISH, and fused activations."""

from __future__ import annotations

from typing import Callable

from tflite.ActivationFunctionType import ActivationFunctionType

from ..context import Context, single_output
from ..tflite_graph import ConversionError, Operator

_UNARY = {
    "RELU": "Relu",
    "LOGISTIC": "Sigmoid",
    "HARD_SWISH": "HardSwish",  # x * relu6(x + 3) / 6 in both TFLite and ONNX
}


def convert_unary(ctx: Context, op: Operator) -> None:
    out = single_output(op)
    ctx.node(_UNARY[op.kind], [ctx.value(op.inputs[0])], ctx.output_name(out))


def output_with_activation(ctx: Context, op: Operator, activation: int) -> tuple[str, Callable[[], None]]:
    """Name the linear result of `op`, and a function that applies its fused activation.

    Usage: `linear, finish = output_with_activation(...)`, emit the op into
    `linear`, then call `finish()`; the TFLite output tensor ends up bound to
    the activated value.
    """
    out = single_output(op)
    if activation == ActivationFunctionType.NONE:
        return ctx.output_name(out), lambda: None
    linear = ctx.fresh(f"{ctx.tensor_name(out)}/linear")

    def finish() -> None:
        final = ctx.output_name(out)
        if activation == ActivationFunctionType.RELU:
            ctx.node("Relu", [linear], final)
        elif activation == ActivationFunctionType.RELU6:
            ctx.node("Clip", [linear, ctx.initializer_scalar(0.0, "zero"), ctx.initializer_scalar(6.0, "six")], final)
        else:
            raise ConversionError(f"operator #{op.index} ({op.kind}): fused activation {activation} unsupported")

    return linear, finish
