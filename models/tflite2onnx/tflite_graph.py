"""A read-only view of a TFLite flatbuffer: tensors, constant buffers, operators.

Wraps the generated accessors of PyPI's `tflite` package so that the rest of
the converter deals with plain Python values (names, shapes, numpy arrays).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tflite
from tflite.BuiltinOperator import BuiltinOperator
from tflite.TensorType import TensorType

_BUILTIN_NAMES = {value: name for name, value in vars(BuiltinOperator).items() if not name.startswith("_")}

_NUMPY_TYPES = {
    TensorType.FLOAT32: np.float32,
    TensorType.FLOAT16: np.float16,
    TensorType.INT32: np.int32,
    TensorType.INT64: np.int64,
    TensorType.UINT8: np.uint8,
    TensorType.INT8: np.int8,
}


class ConversionError(Exception):
    """The TFLite graph uses something this converter does not handle."""


@dataclass(frozen=True)
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: type
    data: np.ndarray | None  # set for constants stored in the file


@dataclass(frozen=True)
class Operator:
    index: int
    kind: str  # builtin name ("CONV_2D") or custom code ("Convolution2DTransposeBias")
    inputs: tuple[int, ...]  # tensor indices; -1 marks an omitted optional input
    outputs: tuple[int, ...]
    raw: tflite.Operator  # for the op-specific options tables
    custom_options: bytes

    def options(self, table_class):
        """Decode this operator's builtin options as the given generated table class."""
        table = self.raw.BuiltinOptions()
        if table is None:
            raise ConversionError(f"operator #{self.index} ({self.kind}) has no builtin options")
        options = table_class()
        options.Init(table.Bytes, table.Pos)
        return options


class TfliteGraph:
    """The single subgraph of a TFLite model."""

    def __init__(self, path: Path):
        self.path = path
        self._bytes = path.read_bytes()
        model = tflite.Model.GetRootAsModel(self._bytes, 0)
        if model.SubgraphsLength() != 1:
            raise ConversionError(f"{path}: expected 1 subgraph, found {model.SubgraphsLength()}")
        graph = model.Subgraphs(0)
        self.tensors = [self._read_tensor(model, graph.Tensors(i), i) for i in range(graph.TensorsLength())]
        self.operators = [self._read_operator(model, graph.Operators(i), i) for i in range(graph.OperatorsLength())]
        self.inputs = [int(i) for i in graph.InputsAsNumpy()]
        self.outputs = [int(i) for i in graph.OutputsAsNumpy()]

    def _read_tensor(self, model: tflite.Model, tensor: tflite.Tensor, index: int) -> Tensor:
        name = tensor.Name().decode()
        type_code = tensor.Type()
        if type_code not in _NUMPY_TYPES:
            raise ConversionError(f"tensor {name!r} has unsupported TFLite type {type_code}")
        if tensor.Quantization() is not None and tensor.Quantization().ScaleLength() > 0:
            raise ConversionError(f"tensor {name!r} is quantized; only float graphs are supported")
        dtype = _NUMPY_TYPES[type_code]
        shape = tuple(int(d) for d in tensor.ShapeAsNumpy()) if tensor.ShapeLength() else ()
        raw = self._buffer_bytes(model.Buffers(tensor.Buffer()))
        data = None
        if raw:
            data = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape).copy()
        return Tensor(index, name, shape, dtype, data)

    def _buffer_bytes(self, buffer: tflite.Buffer) -> bytes:
        if buffer is None:
            return b""
        if buffer.DataLength() > 0:
            return buffer.DataAsNumpy().tobytes()
        if buffer.Offset() > 1:  # large models keep buffers after the flatbuffer
            return self._bytes[buffer.Offset(): buffer.Offset() + buffer.Size()]
        return b""

    @staticmethod
    def _read_operator(model: tflite.Model, op: tflite.Operator, index: int) -> Operator:
        code = model.OperatorCodes(op.OpcodeIndex())
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        kind = _BUILTIN_NAMES.get(builtin, f"builtin#{builtin}")
        if kind == "CUSTOM":
            kind = code.CustomCode().decode()
        custom = op.CustomOptionsAsNumpy().tobytes() if op.CustomOptionsLength() else b""
        return Operator(index, kind, tuple(int(i) for i in op.InputsAsNumpy()),
                        tuple(int(i) for i in op.OutputsAsNumpy()), op, custom)
