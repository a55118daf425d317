"""Losses as pure functions: tensors in, per-example losses out.

Reconstruction losses compare images ``x`` with reconstructions ``x_hat``, both
``(N, H, W, C)``, and return one value per example, shape ``(N,)``; Keras averages them
over the batch. They are registered with Keras, so a model compiled with one of them
saves and reloads with its loss.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from aegan_tf._validation import check_images

_EPSILON = 1e-7


def _check_pair(x: tf.Tensor, x_hat: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    check_images(x, "x")
    check_images(x_hat, "x_hat")
    x_shape, x_hat_shape = tuple(x.shape), tuple(x_hat.shape)
    if any(
        a is not None and b is not None and a != b
        for a, b in zip(x_shape, x_hat_shape, strict=True)
    ):
        raise ValueError(f"x and x_hat must have the same shape, got {x_shape} and {x_hat_shape}.")
    return tf.cast(x, tf.float32), tf.cast(x_hat, tf.float32)


@keras.saving.register_keras_serializable(package="aegan_tf")
def mse_reconstruction_loss(x: tf.Tensor, x_hat: tf.Tensor) -> tf.Tensor:
    """Mean squared error per example: ``mean_pixels (x - x_hat)^2``, shape ``(N,)``.

    This is the autoencoder loss ``L = ||x - x_hat||^2`` divided by the number of pixels
    ``D = H*W*C`` (the same minimiser; the scale does not depend on the image size).
    It is the negative log-likelihood of a Gaussian decoder with fixed variance, up to
    constants, which is why its reconstructions are blurry: the best guess under doubt
    is the mean of the plausible images.
    """
    x, x_hat = _check_pair(x, x_hat)
    return tf.reduce_mean(tf.square(x - x_hat), axis=[1, 2, 3])


@keras.saving.register_keras_serializable(package="aegan_tf")
def bce_reconstruction_loss(x: tf.Tensor, x_hat: tf.Tensor) -> tf.Tensor:
    """Binary cross-entropy per example, averaged over pixels, shape ``(N,)``.

    ``-mean_pixels [x log x_hat + (1 - x) log(1 - x_hat)]`` for ``x`` and ``x_hat`` in
    [0, 1] (``x_hat`` from a sigmoid decoder; it is clipped to ``[eps, 1 - eps]``). The
    negative log-likelihood of a Bernoulli decoder; its minimum over ``x_hat`` is at
    ``x_hat = x`` but is not zero unless ``x`` is 0 or 1.
    """
    x, x_hat = _check_pair(x, x_hat)
    x_hat = tf.clip_by_value(x_hat, _EPSILON, 1.0 - _EPSILON)
    bce = -(x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat))
    return tf.reduce_mean(bce, axis=[1, 2, 3])
