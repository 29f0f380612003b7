"""Counts the multiply-adds of an ONNX model: Conv, ConvTranspose, MatMul and Gemm.

    models/.venv/bin/python bench/macs.py models/build/selfie_general.onnx ...

Prints one JSON object: {file name: {"macs": n, "by_op": {...}, "input": [...]}}.
Element-wise ops (activations, adds, resizes) are not counted: they are memory-bound
and small next to the convolutions, so the count is a lower bound on the work.
"""

import json
import sys
from math import prod
from pathlib import Path

import onnx
from onnx import shape_inference


def shapes_of(model):
    """Every value's static shape, from the graph's inputs, initialisers and inference."""
    shapes = {}
    inferred = shape_inference.infer_shapes(model)
    graph = inferred.graph
    for value in list(graph.input) + list(graph.value_info) + list(graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and all(d.HasField("dim_value") for d in dims):
            shapes[value.name] = [d.dim_value for d in dims]
    for init in graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def attribute(node, name, default):
    for attr in node.attribute:
        if attr.name == name:
            return onnx.helper.get_attribute_value(attr)
    return default


def node_macs(node, shapes):
    need = lambda name: shapes.get(name) or sys.exit(f"{node.op_type} {node.name}: no static shape for {name}")
    if node.op_type == "Conv":
        weight = need(node.input[1])  # [Cout, Cin/group, kh, kw]
        out = need(node.output[0])
        return prod(out) * prod(weight[1:])
    if node.op_type == "ConvTranspose":
        weight = need(node.input[1])  # [Cin, Cout/group, kh, kw]
        inp = need(node.input[0])
        return prod(inp) * prod(weight[1:])
    if node.op_type in ("MatMul", "Gemm"):
        a = need(node.input[0])
        out = need(node.output[0])
        k = a[-2] if node.op_type == "Gemm" and attribute(node, "transA", 0) else a[-1]
        return prod(out) * k
    return 0


def count(path):
    model = onnx.load(path)
    shapes = shapes_of(model)
    by_op = {}
    for node in model.graph.node:
        macs = node_macs(node, shapes)
        if macs:
            by_op[node.op_type] = by_op.get(node.op_type, 0) + macs
    first_input = model.graph.input[0].name
    return {"macs": sum(by_op.values()), "by_op": by_op, "input": shapes.get(first_input)}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: macs.py MODEL.onnx ...")
    print(json.dumps({Path(p).name: count(p) for p in sys.argv[1:]}, indent=2))
