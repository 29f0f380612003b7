"""Writes copies of MediaPipe's selfie segmentation .tflite files with TFLite model metadata
that says how to normalise the input (RGB, x / 255), which MediaPipe Tasks' ImageSegmenter
needs before it runs a float model. The graphs and weights are unchanged.

    models/.venv/bin/python bench/tflite_metadata.py IN.tflite OUT.tflite

The metadata is a flatbuffer of TFLite's metadata schema (file identifier "M001"),
attached under the name TFLITE_METADATA as the model's last buffer.
"""

import sys

import flatbuffers
from ai_edge_litert import schema_py_generated as schema

NORMALIZATION_OPTIONS = 1  # ProcessUnitOptions union member
IMAGE_PROPERTIES = 2  # ContentProperties union member
RGB = 1  # ColorSpaceType


def table(builder, fields):
    """A table from (slot, kind, value) fields; kind: 'offset', 'uint8'."""
    builder.StartObject(max(slot for slot, _, _ in fields) + 1)
    for slot, kind, value in fields:
        if kind == "offset":
            builder.PrependUOffsetTRelativeSlot(slot, value, 0)
        else:
            builder.PrependUint8Slot(slot, value, 0)
    return builder.EndObject()


def vector(builder, offsets):
    builder.StartVector(4, len(offsets), 4)
    for off in reversed(offsets):
        builder.PrependUOffsetTRelative(off)
    return builder.EndVector()


def floats(builder, values):
    builder.StartVector(4, len(values), 4)
    for v in reversed(values):
        builder.PrependFloat32(v)
    return builder.EndVector()


def metadata_bytes(input_name, output_name):
    b = flatbuffers.Builder(256)
    mean = floats(b, [0.0])
    std = floats(b, [255.0])
    norm = table(b, [(0, "offset", mean), (1, "offset", std)])
    unit = table(b, [(0, "uint8", NORMALIZATION_OPTIONS), (1, "offset", norm)])
    image = table(b, [(0, "uint8", RGB)])
    content = table(b, [(0, "uint8", IMAGE_PROPERTIES), (1, "offset", image)])
    in_name = b.CreateString(input_name)
    units = vector(b, [unit])
    tensor_in = table(b, [(0, "offset", in_name), (3, "offset", content), (4, "offset", units)])
    out_name = b.CreateString(output_name)
    tensor_out = table(b, [(0, "offset", out_name)])
    inputs = vector(b, [tensor_in])
    outputs = vector(b, [tensor_out])
    subgraph = table(b, [(2, "offset", inputs), (3, "offset", outputs)])
    subgraphs = vector(b, [subgraph])
    name = b.CreateString("selfie segmentation (normalisation metadata added for the benchmark)")
    version = b.CreateString("1.0.0")
    root = table(b, [(0, "offset", name), (3, "offset", subgraphs), (7, "offset", version)])
    b.Finish(root, file_identifier=b"M001")
    return bytes(b.Output())


def main(src, dst):
    with open(src, "rb") as f:
        model = schema.ModelT.InitFromPackedBuf(f.read(), 0)
    if any(m.name in (b"TFLITE_METADATA", "TFLITE_METADATA") for m in model.metadata or []):
        sys.exit(f"{src} already has TFLite metadata")
    graph = model.subgraphs[0]
    in_name = graph.tensors[graph.inputs[0]].name.decode()
    out_name = graph.tensors[graph.outputs[0]].name.decode()
    buffer = schema.BufferT()
    buffer.data = list(metadata_bytes(in_name, out_name))
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(model.buffers) - 1
    model.metadata = (model.metadata or []) + [entry]
    builder = flatbuffers.Builder(1 << 20)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    with open(dst, "wb") as f:
        f.write(builder.Output())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tflite_metadata.py IN.tflite OUT.tflite")
    main(sys.argv[1], sys.argv[2])
