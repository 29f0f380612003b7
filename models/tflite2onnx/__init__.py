"""tflite2onnx: convert MediaPipe's float TFLite selfie segmentation graphs to ONNX.

Modules: tflite_graph (read the flatbuffer), context (TFLite tensors bound to
ONNX values), ops (one module per op family, registered in ops.CONVERTERS),
converter (the driver), __main__ (command line).
"""
