"""Builders for the networks that the models combine: encoders, decoders, generators and
discriminators.

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
from aegan_tf.distribute import replicas_in_sync

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


CONDITIONINGS = ("concatenate", "projection")
"""How a discriminator reads a one-hot label: concatenated to its input (Mirza & Osindero
2014), or projected onto its last features (Miyato & Koyama 2018: the logit gains
``<V y, φ(x)>``, the form of the log-ratio of class-conditional densities)."""


def _labels_input(n_classes: int) -> keras.KerasTensor:
    return keras.Input((check_positive_int(n_classes, "n_classes"),), name="labels")


def _projection_logit(features, labels):
    """``w·φ(x) + b + <V y, φ(x)>`` ``(N, 1)`` for features ``φ(x)`` ``(N, F)`` and one-hot
    labels ``y`` ``(N, K)`` (Miyato & Koyama 2018, eq. 3)."""
    embedded = layers.Dense(features.shape[-1], use_bias=False, name="label_embedding")(labels)
    projected = layers.Dot(axes=1)([embedded, features])
    logit = layers.Dense(1, dtype="float32")(features)
    return layers.Add(dtype="float32", name="logits")([logit, projected])


def _dense_stack(h, hidden_units: tuple[int, ...]):
    """ReLU dense layers of the given widths, applied to ``h``."""
    for units in hidden_units:
        h = layers.Dense(units, activation="relu")(h)
    return h


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
    h = _dense_stack(layers.Flatten()(images), hidden_units)  # from (N, H*W*C)
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
    h = layers.Dense(math.prod(image_shape))(_dense_stack(codes, hidden_units))  # (N, H*W*C)
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


def describe(net: keras.Model) -> str:
    """One line: ``name: input shape -> output shape, parameter count``."""
    if not isinstance(net, keras.Model):
        raise TypeError(f"net must be a keras.Model, got {type(net).__name__}.")
    return f"{net.name}: {net.input_shape} -> {net.output_shape}, {net.count_params():,} parameters"


def build_dcgan_generator(
    latent_dim: int = 100,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (256, 128, 64),
    n_classes: int | None = None,
) -> keras.Model:
    """DCGAN generator (Radford et al. 2016), sized as in the TensorFlow DCGAN tutorial.

    noise ``(N, latent_dim)`` -> dense ``(N, 7, 7, 256)`` -> 5x5 transposed convs:
    ``(N, 7, 7, 128)`` (stride 1) -> ``(N, 14, 14, 64)`` (stride 2) -> images
    ``(N, 28, 28, C)`` (stride 2, tanh, so pixels in [-1, 1]). Batch normalisation and
    LeakyReLU after every layer but the last. ``filters[0]`` is the width of the dense
    projection, the others those of the stride-1 and first stride-2 layers. With
    ``n_classes``, a conditional generator (Mirza & Osindero 2014): it takes ``[noise,
    one-hot labels (N, n_classes)]``, concatenated before the dense projection.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    filters = _check_units(filters, "filters")
    if len(filters) != 3:
        raise ValueError(f"filters must have 3 entries, got {filters!r}.")
    _check_downsampling(image_shape, 2)
    start = (image_shape[0] // 4, image_shape[1] // 4, filters[0])
    # Built under a strategy with several replicas: batch statistics over the global batch.
    synchronized = replicas_in_sync() > 1
    noise = keras.Input((latent_dim,), name="noise")
    inputs, h = noise, noise
    if n_classes is not None:
        labels = _labels_input(n_classes)
        inputs, h = [noise, labels], layers.Concatenate()([noise, labels])
    h = layers.Dense(math.prod(start), use_bias=False)(h)
    h = layers.LeakyReLU(0.3)(layers.BatchNormalization(synchronized=synchronized)(h))
    h = layers.Reshape(start)(h)  # (N, H/4, W/4, filters[0])
    for f, stride in ((filters[1], 1), (filters[2], 2)):
        h = layers.Conv2DTranspose(f, 5, strides=stride, padding="same", use_bias=False)(h)
        h = layers.LeakyReLU(0.3)(layers.BatchNormalization(synchronized=synchronized)(h))
    h = layers.Conv2DTranspose(image_shape[2], 5, strides=2, padding="same")(h)
    images = layers.Activation("tanh", dtype="float32", name="images")(h)  # (N, H, W, C)
    return keras.Model(inputs, images, name="dcgan_generator")


def build_dcgan_discriminator(
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (64, 128),
    dropout: float = 0.3,
    n_classes: int | None = None,
) -> keras.Model:
    """DCGAN discriminator, as in the TensorFlow DCGAN tutorial: images -> logits ``(N, 1)``.

    ``(N, 28, 28, C)`` -> 5x5 stride-2 convs ``(N, 14, 14, 64)`` -> ``(N, 7, 7, 128)``, each
    with LeakyReLU and dropout -> one logit (no sigmoid: the losses take logits). With
    ``n_classes``, a projection discriminator (Miyato & Koyama 2018) of ``[images, one-hot
    labels (N, n_classes)]``: the label's embedding is projected on the flattened features.
    """
    image_shape = _check_image_shape(image_shape)
    filters = _check_units(filters, "filters")
    _check_downsampling(image_shape, len(filters))
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}.")
    images = keras.Input(image_shape, name="images")
    h = images
    for f in filters:
        h = layers.Conv2D(f, 5, strides=2, padding="same")(h)
        h = layers.Dropout(dropout)(layers.LeakyReLU(0.3)(h))
    h = layers.Flatten()(h)
    if n_classes is not None:
        labels = _labels_input(n_classes)
        logits = _projection_logit(h, labels)
        return keras.Model([images, labels], logits, name="dcgan_discriminator")
    logits = layers.Dense(1, dtype="float32", name="logits")(h)
    return keras.Model(images, logits, name="dcgan_discriminator")


def build_mlp_generator(
    latent_dim: int,
    data_dim: int,
    hidden_units: Sequence[int] = (128, 128),
    n_classes: int | None = None,
) -> keras.Model:
    """MLP generator for low-dimensional data: noise ``(N, latent_dim)`` -> ``(N, data_dim)``.
    With ``n_classes``, conditional: it takes ``[noise, one-hot labels (N, n_classes)]``,
    concatenated (Mirza & Osindero 2014)."""
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    data_dim = check_positive_int(data_dim, "data_dim")
    hidden_units = _check_units(hidden_units, "hidden_units")
    noise = keras.Input((latent_dim,), name="noise")
    inputs, h = noise, noise
    if n_classes is not None:
        labels = _labels_input(n_classes)
        inputs, h = [noise, labels], layers.Concatenate()([noise, labels])
    h = _dense_stack(h, hidden_units)
    points = layers.Dense(data_dim, dtype="float32", name="points")(h)  # unbounded
    return keras.Model(inputs, points, name="mlp_generator")


def build_mlp_discriminator(
    data_dim: int,
    hidden_units: Sequence[int] = (128, 128),
    condition_dim: int | None = None,
    conditioning: str = "concatenate",
) -> keras.Model:
    """MLP discriminator for low-dimensional data: points ``(N, data_dim)`` -> logits ``(N, 1)``.

    With ``condition_dim``, it takes ``[points, condition (N, condition_dim)]`` (for example a
    one-hot label), read as ``conditioning`` says (one of :data:`CONDITIONINGS`).
    """
    data_dim = check_positive_int(data_dim, "data_dim")
    hidden_units = _check_units(hidden_units, "hidden_units")
    if conditioning not in CONDITIONINGS:
        raise ValueError(f"conditioning must be one of {CONDITIONINGS}, got {conditioning!r}.")
    points = keras.Input((data_dim,), name="points")
    if condition_dim is None:
        logits = layers.Dense(1, dtype="float32", name="logits")(_dense_stack(points, hidden_units))
        return keras.Model(points, logits, name="mlp_discriminator")
    condition = keras.Input((check_positive_int(condition_dim, "condition_dim"),), name="condition")
    if conditioning == "projection":
        logits = _projection_logit(_dense_stack(points, hidden_units), condition)
    else:
        h = _dense_stack(layers.Concatenate()([points, condition]), hidden_units)
        logits = layers.Dense(1, dtype="float32", name="logits")(h)
    return keras.Model([points, condition], logits, name="mlp_discriminator")


def build_mlp_denoiser(
    data_dim: int, hidden_units: Sequence[int] = (512, 512, 512), time_dim: int = 64
) -> keras.Model:
    """A diffusion model's noise predictor for low-dimensional data:
    ``[noisy points (N, data_dim), time features (N, time_dim)]`` -> the predicted noise
    ``(N, data_dim)``. The time features (the step's sinusoidal embedding,
    :func:`aegan_tf.models.latent_diffusion.timestep_embedding`) join the input of every
    dense layer; the activations are SiLU, as in Ho et al.'s network."""
    data_dim = check_positive_int(data_dim, "data_dim")
    time_dim = check_positive_int(time_dim, "time_dim")
    hidden_units = _check_units(hidden_units, "hidden_units")
    noisy = keras.Input((data_dim,), name="noisy_points")
    time = keras.Input((time_dim,), name="time")
    h = noisy
    for units in hidden_units:
        h = layers.Dense(units, activation="silu")(layers.Concatenate()([h, time]))
    noise = layers.Dense(data_dim, dtype="float32", name="noise")(h)
    return keras.Model([noisy, time], noise, name="mlp_denoiser")


def build_joint_discriminator(
    latent_dim: int,
    image_shape: Sequence[int] = (28, 28, 1),
    filters: Sequence[int] = (64, 128),
    hidden_units: Sequence[int] = (512,),
    dropout: float = 0.2,
) -> keras.Model:
    """BiGAN's discriminator on pairs: ``[images (N, H, W, C), codes (N, latent_dim)]`` ->
    logits ``(N, 1)``.

    The images go through stride-2 5x5 convs with LeakyReLU (``(N, 14, 14, 64)`` ->
    ``(N, 7, 7, 128)``, flattened; ``filters=()``: the pixels themselves, flattened), the codes
    through a dense layer; both are concatenated and read by LeakyReLU dense layers of
    ``hidden_units``, with dropout.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    filters = _check_units(filters, "filters") if len(filters) else ()
    hidden_units = _check_units(hidden_units, "hidden_units")
    _check_downsampling(image_shape, len(filters))
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}.")
    images = keras.Input(image_shape, name="images")
    codes = keras.Input((latent_dim,), name="codes")
    x = images
    for f in filters:
        x = layers.LeakyReLU(0.2)(layers.Conv2D(f, 5, strides=2, padding="same")(x))
    z = layers.LeakyReLU(0.2)(layers.Dense(hidden_units[0])(codes))
    h = layers.Concatenate()([layers.Flatten()(x), z])
    for units in hidden_units:
        h = layers.Dropout(dropout)(layers.LeakyReLU(0.2)(layers.Dense(units)(h)))
    logits = layers.Dense(1, dtype="float32", name="logits")(h)
    return keras.Model([images, codes], logits, name="joint_discriminator")


def build_mlp_image_encoder(
    latent_dim: int, image_shape: Sequence[int] = (28, 28, 1), units: int = 1024
) -> keras.Model:
    """Donahue et al.'s permutation-invariant MNIST encoder: images ``(N, H, W, C)`` ->
    codes ``(N, latent_dim)`` in (-1, 1): ``units`` LeakyReLU units, ``units`` with batch
    normalisation and LeakyReLU, then ``tanh``."""
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    units = check_positive_int(units, "units")
    images = keras.Input(image_shape, name="images")
    h = layers.LeakyReLU(0.2)(layers.Dense(units)(layers.Flatten()(images)))
    h = layers.BatchNormalization()(layers.Dense(units)(h))
    h = layers.LeakyReLU(0.2)(h)
    codes = layers.Dense(latent_dim, activation="tanh", dtype="float32")(h)
    return keras.Model(images, codes, name="mlp_encoder")


def build_mlp_image_generator(
    latent_dim: int, image_shape: Sequence[int] = (28, 28, 1), units: int = 1024
) -> keras.Model:
    """Donahue et al.'s permutation-invariant MNIST generator: codes ``(N, latent_dim)`` ->
    images ``(N, H, W, C)`` in [0, 1]: two layers of ``units`` with batch normalisation and
    ReLU, then sigmoid pixels."""
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    units = check_positive_int(units, "units")
    codes = keras.Input((latent_dim,), name="codes")
    h = codes
    for _ in range(2):
        h = layers.ReLU()(layers.BatchNormalization()(layers.Dense(units)(h)))
    pixels = layers.Dense(math.prod(image_shape), activation="sigmoid", dtype="float32")(h)
    return keras.Model(codes, layers.Reshape(image_shape)(pixels), name="mlp_generator")


def build_mlp_image_discriminator(
    latent_dim: int | None, image_shape: Sequence[int] = (28, 28, 1), units: int = 1024
) -> keras.Model:
    """Donahue et al.'s permutation-invariant MNIST discriminator: ``[images (N, H, W, C),
    codes (N, latent_dim)]`` -> logits ``(N, 1)``: the pixels through ``units`` LeakyReLU
    units, concatenated with the code, through ``units`` more. With ``latent_dim=None``,
    images alone (a plain GAN's discriminator)."""
    if latent_dim is not None:
        latent_dim = check_positive_int(latent_dim, "latent_dim")
    image_shape = _check_image_shape(image_shape)
    units = check_positive_int(units, "units")
    images = keras.Input(image_shape, name="images")
    h = layers.LeakyReLU(0.2)(layers.Dense(units)(layers.Flatten()(images)))
    inputs = images
    if latent_dim is not None:
        codes = keras.Input((latent_dim,), name="codes")
        inputs, h = [images, codes], layers.Concatenate()([h, codes])
    h = layers.LeakyReLU(0.2)(layers.Dense(units)(h))
    logits = layers.Dense(1, dtype="float32", name="logits")(h)
    return keras.Model(inputs, logits, name="mlp_discriminator")
