"""The state an op converter works on: TFLite tensors bound to ONNX values.

Inside the ONNX graph every 4-D activation is NCHW (ONNX's convolution
layout); the TFLite graph is NHWC. Op converters read TFLite shapes, which are
NHWC, and emit ONNX nodes on NCHW values. Constants (weights) are folded
into numpy arrays and become initializers in whatever layout the consuming
ONNX op needs, so no transpose of a weight is ever left in the graph.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper

from .tflite_graph import ConversionError, Operator, TfliteGraph


def nhwc_to_nchw(shape: tuple[int, ...]) -> tuple[int, ...]:
    if len(shape) != 4:
        return shape
    n, h, w, c = shape
    return (n, c, h, w)


class Context:
    def __init__(self, graph: TfliteGraph):
        self.graph = graph
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._values: dict[int, str] = {}  # TFLite tensor index -> ONNX value name
        self._constants: dict[int, np.ndarray] = {
            t.index: t.data for t in graph.tensors if t.data is not None
        }
        self._used_names: set[str] = set()

    # --- names -------------------------------------------------------------

    def fresh(self, hint: str) -> str:
        """A value or node name not used yet, derived from `hint`."""
        name, n = hint, 1
        while name in self._used_names:
            n += 1
            name = f"{hint}_{n}"
        self._used_names.add(name)
        return name

    # --- tensors -----------------------------------------------------------

    def shape(self, tensor: int) -> tuple[int, ...]:
        """The TFLite (NHWC) shape of a tensor."""
        return self.graph.tensors[tensor].shape

    def tensor_name(self, tensor: int) -> str:
        return self.graph.tensors[tensor].name

    def is_constant(self, tensor: int) -> bool:
        return tensor in self._constants

    def constant(self, tensor: int) -> np.ndarray:
        if tensor not in self._constants:
            raise ConversionError(f"tensor {self.tensor_name(tensor)!r} must be a constant")
        return self._constants[tensor]

    def set_constant(self, tensor: int, value: np.ndarray) -> None:
        self._constants[tensor] = value

    def value(self, tensor: int) -> str:
        """The ONNX value (NCHW if 4-D) holding a computed TFLite tensor."""
        if tensor not in self._values:
            what = "a constant" if tensor in self._constants else "not computed yet"
            raise ConversionError(f"tensor {self.tensor_name(tensor)!r} is {what}; expected an activation")
        return self._values[tensor]

    def bind(self, tensor: int, onnx_name: str) -> None:
        self._values[tensor] = onnx_name

    def output_name(self, tensor: int) -> str:
        """Reserve the ONNX name for a TFLite op output and bind it."""
        name = self.fresh(self.tensor_name(tensor))
        self.bind(tensor, name)
        return name

    # --- emission ----------------------------------------------------------

    def initializer(self, array: np.ndarray, hint: str) -> str:
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def initializer_scalar(self, value: float, hint: str) -> str:
        return self.initializer(np.array(value, dtype=np.float32), hint)

    def node(self, op_type: str, inputs: list[str], output: str, **attributes) -> str:
        """Append one node with a single output; returns the output name."""
        self.nodes.append(helper.make_node(op_type, inputs, [output], name=output, **attributes))
        return output


    def rename_value(self, old: str, new: str) -> None:
        """Rename an ONNX value everywhere (used to give the graph output its public name)."""
        for node in self.nodes:
            node.input[:] = [new if name == old else name for name in node.input]
            if old in node.output:
                node.output[:] = [new if name == old else name for name in node.output]
                node.name = new
        self._values = {t: (new if v == old else v) for t, v in self._values.items()}


def single_output(op: Operator) -> int:
    if len(op.outputs) != 1:
        raise ConversionError(f"operator #{op.index} ({op.kind}) has {len(op.outputs)} outputs, expected 1")
    return op.outputs[0]
