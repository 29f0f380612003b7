"""Op converters, registered by TFLite op name (custom ops by their custom code)."""

from .activation import convert_unary
from .conv import convert_conv_2d, convert_depthwise_conv_2d, convert_transpose_conv_bias
from .elementwise import convert_binary
from .pooling import convert_average_pool_2d, convert_mean
from .quantize import convert_dequantize
from .resize import convert_resize_bilinear

CONVERTERS = {
    "ADD": convert_binary,
    "AVERAGE_POOL_2D": convert_average_pool_2d,
    "CONV_2D": convert_conv_2d,
    "Convolution2DTransposeBias": convert_transpose_conv_bias,
    "DEPTHWISE_CONV_2D": convert_depthwise_conv_2d,
    "DEQUANTIZE": convert_dequantize,
    "HARD_SWISH": convert_unary,
    "LOGISTIC": convert_unary,
    "MEAN": convert_mean,
    "MUL": convert_binary,
    "RELU": convert_unary,
    "RESIZE_BILINEAR": convert_resize_bilinear,
}
