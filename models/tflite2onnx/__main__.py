"""Command line: python -m tflite2onnx SOURCE.tflite DEST.onnx [--layout nchw|nhwc]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import onnx

from .converter import LAYOUTS, convert, weight_count
from .tflite_graph import ConversionError


def main() -> int:
    parser = argparse.ArgumentParser(prog="tflite2onnx", description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--layout", choices=LAYOUTS, default="nchw",
                        help="layout of the model's input and output tensors (default: nchw)")
    parser.add_argument("--input-name", default="image")
    parser.add_argument("--output-name", default="mask")
    args = parser.parse_args()
    try:
        model = convert(args.source, args.layout, args.input_name, args.output_name)
    except ConversionError as error:
        print(f"tflite2onnx: {error}", file=sys.stderr)
        return 1
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(model, args.dest)
    print(f"{args.source.name} -> {args.dest} ({len(model.graph.node)} nodes, {weight_count(model)} weights, "
          f"layout {args.layout})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
