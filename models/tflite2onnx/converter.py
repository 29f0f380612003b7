"""Convert a float TFLite graph to an ONNX model, op by op."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from .context import Context, nhwc_to_nchw
from .ops import CONVERTERS
from .tflite_graph import ConversionError, TfliteGraph

OPSET = 17
LAYOUTS = ("nchw", "nhwc")


def convert(source: Path, layout: str, input_name: str, output_name: str) -> onnx.ModelProto:
    """Build the ONNX model of `source`, with external tensors in `layout`.

    Inside, the graph computes in NCHW; with layout "nhwc" a Transpose is
    added after the input and before the output, so the model takes and
    returns tensors shaped exactly like the TFLite model's.
    """
    if layout not in LAYOUTS:
        raise ConversionError(f"layout {layout!r}: expected one of {LAYOUTS}")
    graph = TfliteGraph(source)
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise ConversionError(f"{source}: expected 1 input and 1 output, found {len(graph.inputs)} and "
                              f"{len(graph.outputs)}")
    ctx = Context(graph)
    (tfl_input,), (tfl_output,) = graph.inputs, graph.outputs
    in_shape, out_shape = ctx.shape(tfl_input), ctx.shape(tfl_output)
    for what, shape in (("input", in_shape), ("output", out_shape)):
        if len(shape) != 4 or shape[0] != 1:
            raise ConversionError(f"{source}: {what} shape {shape}, expected [1, H, W, C]")

    ctx.fresh(input_name)
    ctx.fresh(output_name)
    if layout == "nchw":
        ctx.bind(tfl_input, input_name)
    else:
        ctx.bind(tfl_input, ctx.node("Transpose", [input_name], ctx.fresh("input_nchw"), perm=[0, 3, 1, 2]))

    for op in graph.operators:
        converter = CONVERTERS.get(op.kind)
        if converter is None:
            supported = ", ".join(sorted(CONVERTERS))
            raise ConversionError(f"{source}: operator #{op.index} is {op.kind}, which this converter does not "
                                  f"support (supported: {supported})")
        converter(ctx, op)

    result = ctx.value(tfl_output)
    if layout == "nchw":
        ctx.rename_value(result, output_name)
        external_in, external_out = nhwc_to_nchw(in_shape), nhwc_to_nchw(out_shape)
    else:
        ctx.node("Transpose", [result], output_name, perm=[0, 2, 3, 1])
        external_in, external_out = in_shape, out_shape

    onnx_graph = helper.make_graph(
        ctx.nodes,
        name=source.stem,
        inputs=[helper.make_tensor_value_info(input_name, TensorProto.FLOAT, list(external_in))],
        outputs=[helper.make_tensor_value_info(output_name, TensorProto.FLOAT, list(external_out))],
        initializer=ctx.initializers,
    )
    model = helper.make_model(onnx_graph, producer_name="backdrop tflite2onnx",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    model.doc_string = (f"Converted from {source.name} (sha256 {hashlib.sha256(source.read_bytes()).hexdigest()}) "
                        f"by Backdrop's models/tflite2onnx. Input: RGB in [0, 1], {layout.upper()}. "
                        "Output: person probability in [0, 1].")
    onnx.helper.set_model_props(model, {"source": source.name, "layout": layout})
    onnx.checker.check_model(model, full_check=True)
    return model


def weight_count(model: onnx.ModelProto) -> int:
    return int(sum(np.prod(t.dims) for t in model.graph.initializer if t.data_type == TensorProto.FLOAT))
