"""Builders for the networks that the models combine: encoders and decoders.

Each returns a functional ``keras.Model`` whose input and output shapes are fixed at
build time, so a wrong-shaped batch fails at the first call with both shapes named.
The last activation runs in float32, which keeps outputs exact under mixed precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
from keras import layers

from aegan_tf._validation import check_positive_int

OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "linear")
"""``sigmoid`` for images in [0, 1], ``tanh`` for [-1, 1], ``linear`` for unbounded outputs."""


def _check_image_shape(image_shape: Sequence[int]) -> tuple[int, int, int]:
    shape = tuple(image_shape) if isinstance(image_shape, (tuple, list)) else None
    if shape is None or len(shape) != 3:
        raise ValueError(f"image_shape must be (height, width, channels), got {image_shape!r}.")
    for d in shape:
        check_positive_int(d, "each entry of image_shape")
    return tuple(int(d) for d in shape)


def _check_units(units: Sequence[int], name: str) -> tuple[int, ...]:
    if isinstance(units, (int, str)) or not isinstance(units, Sequence) or len(units) == 0:
        raise ValueError(f"{name} must be a non-empty sequence of ints, got {units!r}.")
    return tuple(check_positive_int(u, f"each entry of {name}") for u in units)


def _check_activation(output_activation: str) -> str:
    if output_activation not in OUTPUT_ACTIVATIONS:
        raise ValueError(
            f"output_activation must be one of {OUTPUT_ACTIVATIONS}, got {output_activation!r}."
        )
    return output_activation


def _check_downsampling(image_shape: tuple[int, int, int], n_strided: int) -> None:
    factor = 2**n_strided
    if image_shape[0] % factor or image_shape[1] % factor:
        raise ValueError(
            f"image height and width must be divisible by {factor} for {n_strided} stride-2 "
            f"layers, got image_shape {image_shape}."
        )


def build_dense_encoder(
    latent_dim: int,
    image_shape: Sequence[int] = (28, 28, 1),
    hidden_units: Sequence[int] = (512, 256),
) -> keras.Model:
    """MLP encoder: images ``(N, H, W, C)`` -> codes ``(N, latent_dim)``."""
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    hidden_units = _check_units(hidden_units, "hidden_units")
    images = keras.Input(image_shape, name="images")
    h = layers.Flatten()(images)  # (N, H*W*C)
    for units in hidden_units:
        h = layers.Dense(units, activation="relu")(h)
    codes = layers.Dense(latent_dim, name="codes")(h)  # (N, latent_dim), no activation
    return keras.Model(images, codes, name="dense_encoder")


def build_dense_decoder(
    latent_dim: int,
    image_shape: Sequence[int] = (28, 28, 1),
    hidden_units: Sequence[int] = (256, 512),
    output_activation: str = "sigmoid",
) -> keras.Model:
    """MLP decoder: codes ``(N, latent_dim)`` -> images ``(N, H, W, C)``."""
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    hidden_units = _check_units(hidden_units, "hidden_units")
    output_activation = _check_activation(output_activation)
    codes = keras.Input((latent_dim,), name="codes")
    h = codes
    for units in hidden_units:
        h = layers.Dense(units, activation="relu")(h)
    h = layers.Dense(math.prod(image_shape))(h)  # (N, H*W*C)
    h = layers.Activation(output_activation, dtype="float32")(h)
    images = layers.Reshape(image_shape, name="images")(h)  # (N, H, W, C)
    return keras.Model(codes, images, name="dense_decoder")


def build_conv_encoder(
    latent_dim: int,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (32, 64),
) -> keras.Model:
    """Convolutional encoder: each entry of ``filters`` is a stride-2 3x3 conv halving H and W.

    ``(N, 28, 28, 1)`` -> ``(N, 14, 14, 32)`` -> ``(N, 7, 7, 64)`` -> codes ``(N, latent_dim)``.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    filters = _check_units(filters, "filters")
    _check_downsampling(image_shape, len(filters))
    images = keras.Input(image_shape, name="images")
    h = images
    for f in filters:
        h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
    h = layers.Flatten()(h)
    codes = layers.Dense(latent_dim, name="codes")(h)
    return keras.Model(images, codes, name="conv_encoder")


def build_conv_decoder(
    latent_dim: int,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (64, 32),
    output_activation: str = "sigmoid",
) -> keras.Model:
    """Convolutional decoder, the mirror of :func:`build_conv_encoder`.

    codes ``(N, latent_dim)`` -> ``(N, 7, 7, 64)`` -> ``(N, 14, 14, 64)`` -> ``(N, 28, 28, 32)``
    -> images ``(N, 28, 28, C)``: each entry of ``filters`` is a stride-2 transposed conv
    that doubles H and W, and a last 3x3 conv maps to C channels.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    filters = _check_units(filters, "filters")
    output_activation = _check_activation(output_activation)
    _check_downsampling(image_shape, len(filters))
    factor = 2 ** len(filters)
    start = (image_shape[0] // factor, image_shape[1] // factor, filters[0])
    codes = keras.Input((latent_dim,), name="codes")
    h = layers.Dense(math.prod(start), activation="relu")(codes)
    h = layers.Reshape(start)(h)
    for f in filters:
        h = layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")(h)
    h = layers.Conv2D(image_shape[2], 3, padding="same")(h)
    images = layers.Activation(output_activation, dtype="float32", name="images")(h)
    return keras.Model(codes, images, name="conv_decoder")
