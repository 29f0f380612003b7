"""Reference outputs of the ORIGINAL TFLite graphs, for the fidelity test.

Independent of our ONNX converter: the official TFLite interpreter
(ai-edge-litert, reference kernels) runs each MediaPipe graph as published,
float16 weights and DEQUANTIZE ops included. The one thing it lacks is
MediaPipe's custom op Convolution2DTransposeBias, so the flatbuffer is
rewritten (with LiteRT's own schema bindings, not the `tflite` package the
converter uses) to the builtin TRANSPOSE_CONV, which takes the same
OHWI kernel and an optional bias, with SAME padding and the same strides.
For the 2×2, stride-2 kernel of these graphs both cut 0 pixels.

For every image and model it writes, as raw little-endian float32:
  <out>/<model>/<image>.input.f32    [1, H, W, 3] NHWC, RGB in [0, 1]
  <out>/<model>/<image>.expected.f32 [1, H, W, 1] NHWC, probability
and <out>/manifest.tsv, one line per case (read by the Rust fidelity test):
  model  onnx  image  input  expected  height  width

The input tensor is the image resized with plain bilinear interpolation
(half-pixel centres, edge clamp, no antialiasing), stretched to the model's
size like MediaPipe's ImageToTensorCalculator with keep_aspect_ratio false.

Usage: python reference.py IMAGES_DIR OUT_DIR NAME TFLITE ONNX [NAME TFLITE ONNX ...]
  NAME: model name, TFLITE: the original graph, ONNX: file name of our
  conversion (relative to OUT_DIR's parent), recorded in the manifest.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.interpreter import Interpreter, OpResolverType
from PIL import Image

CUSTOM_TRANSPOSE_CONV = b"Convolution2DTransposeBias"
C_PADDING_SAME = 1  # TfLitePadding in MediaPipe's raw custom options


def rewrite_custom_transpose_conv(tflite_bytes: bytes) -> bytes:
    """Replace every Convolution2DTransposeBias by builtin TRANSPOSE_CONV with bias."""
    model = schema.ModelT.InitFromPackedBuf(tflite_bytes, 0)
    custom_index = next((i for i, code in enumerate(model.operatorCodes)
                         if code.customCode == CUSTOM_TRANSPOSE_CONV), None)
    if custom_index is None:
        return tflite_bytes
    builtin_code = schema.OperatorCodeT()
    builtin_code.builtinCode = schema.BuiltinOperator.TRANSPOSE_CONV
    builtin_code.deprecatedBuiltinCode = schema.BuiltinOperator.TRANSPOSE_CONV
    builtin_code.version = 3  # version 3 accepts the bias input
    model.operatorCodes.append(builtin_code)
    builtin_index = len(model.operatorCodes) - 1

    for graph in model.subgraphs:
        for op in graph.operators:
            if op.opcodeIndex != custom_index:
                continue
            padding, stride_w, stride_h = struct.unpack_from("<iii", bytes(op.customOptions))
            if padding != C_PADDING_SAME:
                raise ValueError(f"custom transpose conv with padding code {padding}: rewrite supports SAME only")
            data, weights, bias = op.inputs
            # The output shape becomes a constant int32 tensor, TRANSPOSE_CONV's first input.
            shape = np.array(graph.tensors[op.outputs[0]].shape, dtype=np.int32)
            buffer = schema.BufferT()
            buffer.data = np.frombuffer(shape.astype("<i4").tobytes(), dtype=np.uint8)
            model.buffers.append(buffer)
            shape_tensor = schema.TensorT()
            shape_tensor.shape = np.array([4], dtype=np.int32)
            shape_tensor.type = schema.TensorType.INT32
            shape_tensor.buffer = len(model.buffers) - 1
            shape_tensor.name = b"transpose_conv_output_shape"
            graph.tensors.append(shape_tensor)

            options = schema.TransposeConvOptionsT()
            options.padding = schema.Padding.SAME
            options.strideW, options.strideH = stride_w, stride_h
            options.fusedActivationFunction = schema.ActivationFunctionType.NONE
            op.opcodeIndex = builtin_index
            op.inputs = [len(graph.tensors) - 1, weights, data, bias]
            op.builtinOptionsType = schema.BuiltinOptions.TransposeConvOptions
            op.builtinOptions = options
            op.customOptions = None

    builder = flatbuffers.Builder(1 << 20)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def bilinear_resize(rgb: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize an H×W×3 float image: bilinear, half-pixel centres, edge clamp."""
    def axis(size_in: int, size_out: int):
        x = (np.arange(size_out, dtype=np.float64) + 0.5) * (size_in / size_out) - 0.5
        x = np.clip(x, 0.0, size_in - 1)
        lo = np.floor(x).astype(np.int64)
        hi = np.minimum(lo + 1, size_in - 1)
        return lo, hi, (x - lo)

    y0, y1, fy = axis(rgb.shape[0], height)
    x0, x1, fx = axis(rgb.shape[1], width)
    fy, fx = fy[:, None, None], fx[None, :, None]
    top = rgb[y0][:, x0] * (1 - fx) + rgb[y0][:, x1] * fx
    bottom = rgb[y1][:, x0] * (1 - fx) + rgb[y1][:, x1] * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)


def input_tensor(image_path: Path, height: int, width: int) -> np.ndarray:
    rgb = np.asarray(Image.open(image_path).convert("RGB"), dtype=np.float64) / 255.0
    return bilinear_resize(rgb, height, width)[None]  # 1 × H × W × 3


MANIFEST_COLUMNS = ("model", "onnx", "image", "input", "expected", "height", "width")


def main(argv: list[str]) -> int:
    if len(argv) < 6 or (len(argv) - 3) % 3 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    images = sorted(Path(argv[1]).glob("*.png"))
    out_dir = Path(argv[2])
    if not images:
        raise SystemExit(f"no PNG images in {argv[1]}")
    models = [argv[i:i + 3] for i in range(3, len(argv), 3)]
    rows = ["\t".join(MANIFEST_COLUMNS)]
    for model_name, tflite_path, onnx_name in models:
        content = rewrite_custom_transpose_conv(Path(tflite_path).read_bytes())
        interpreter = Interpreter(model_content=content, num_threads=1,
                                  experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        interpreter.allocate_tensors()
        (input_detail,), (output_detail,) = interpreter.get_input_details(), interpreter.get_output_details()
        _, height, width, channels = (int(d) for d in input_detail["shape"])
        if channels != 3 or list(output_detail["shape"]) != [1, height, width, 1]:
            raise SystemExit(f"{tflite_path}: unexpected input {input_detail['shape']} / output "
                             f"{output_detail['shape']}")
        folder = out_dir / model_name
        folder.mkdir(parents=True, exist_ok=True)
        for image in images:
            tensor = input_tensor(image, height, width)
            interpreter.set_tensor(input_detail["index"], tensor)
            interpreter.invoke()
            expected = interpreter.get_tensor(output_detail["index"])
            tensor.astype("<f4").tofile(folder / f"{image.stem}.input.f32")
            expected.astype("<f4").tofile(folder / f"{image.stem}.expected.f32")
            rows.append("\t".join([model_name, onnx_name, image.name, f"{model_name}/{image.stem}.input.f32",
                                   f"{model_name}/{image.stem}.expected.f32", str(height), str(width)]))
            print(f"  {model_name} {image.name}: person fraction {(expected > 0.5).mean():.3f}")
    (out_dir / "manifest.tsv").write_text("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
