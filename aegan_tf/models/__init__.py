"""Network builders and the models that own their training step."""

from aegan_tf.models.autoencoder import Autoencoder
from aegan_tf.models.blocks import (
    build_conv_decoder,
    build_conv_encoder,
    build_dense_decoder,
    build_dense_encoder,
)

__all__ = [
    "Autoencoder",
    "build_conv_decoder",
    "build_conv_encoder",
    "build_dense_decoder",
    "build_dense_encoder",
]
