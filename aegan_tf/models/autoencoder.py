"""The autoencoder: ``h = encoder(x)``, ``x_hat = decoder(h)``, trained to make ``x_hat ≈ x``."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from aegan_tf._validation import check_images, check_number
from aegan_tf.models.composed import (
    ComposedModel,
    check_in_output_range,
    checks_training_images,
    map_batches,
)


def check_encoder_decoder(encoder: keras.Model, decoder: keras.Model) -> tuple[tuple, tuple]:
    """Check that ``decoder`` inverts ``encoder``'s shapes; return ``(image_shape, code_shape)``."""
    image_shape, code_shape = tuple(encoder.input_shape[1:]), tuple(encoder.output_shape[1:])
    if tuple(decoder.input_shape[1:]) != code_shape:
        raise ValueError(
            f"decoder input shape {decoder.input_shape[1:]} must equal encoder output "
            f"shape {code_shape}."
        )
    if tuple(decoder.output_shape[1:]) != image_shape:
        raise ValueError(
            f"decoder output shape {decoder.output_shape[1:]} must equal encoder input "
            f"shape {image_shape}."
        )
    return image_shape, code_shape


def check_flat_codes(encoder: keras.Model, decoder: keras.Model) -> tuple[tuple, int]:
    """:func:`check_encoder_decoder` for an autoencoder whose codes are vectors
    ``(N, code_dim)``, as a model of its codes needs; return ``(image_shape, code_dim)``."""
    image_shape, code_shape = check_encoder_decoder(encoder, decoder)
    if len(code_shape) != 1:
        raise ValueError(f"encoder must output codes (N, code_dim), got {encoder.output_shape}.")
    return image_shape, code_shape[0]


def encode_checked(
    encoder: keras.Model, decoder: keras.Model, images: np.ndarray, batch_size: int = 512
) -> tuple[np.ndarray, dict[str, float]]:
    """The codes ``(N, code_dim)`` of ``images``, after checking that the autoencoder is trained.

    Its reconstructions of ``images`` must be closer (mean squared error) than the mean
    image is; otherwise a ``ValueError`` says to fit it first. Returns the codes and both
    errors, ``{"reconstruction_mse": ..., "mean_image_mse": ...}``.
    """
    images = np.asarray(images, np.float32)
    check_in_output_range(images, decoder, "decoder")  # (NaN or a wrong range: say so first)
    codes = map_batches(encoder, images, batch_size)
    reconstructions = map_batches(decoder, codes, batch_size)
    errors = {
        "reconstruction_mse": float(np.mean((reconstructions - images) ** 2)),
        "mean_image_mse": float(np.mean((images.mean(axis=0) - images) ** 2)),
    }
    if not errors["reconstruction_mse"] < errors["mean_image_mse"]:
        raise ValueError(
            "The autoencoder is not trained: its reconstructions are no closer to the "
            f"images (MSE {errors['reconstruction_mse']:.4f}) than the mean image is "
            f"(MSE {errors['mean_image_mse']:.4f}). Fit it first."
        )
    return codes, errors


@keras.saving.register_keras_serializable(package="aegan_tf")
class Autoencoder(ComposedModel):
    """An encoder and a decoder trained end to end with ``compile()`` / ``fit()``.

    The training target is the (clean) input itself, so ``fit`` takes images alone::

        ae = Autoencoder(build_conv_encoder(16), build_conv_decoder(16))
        ae.compile(optimizer="adam", loss=aegan_tf.losses.mse_reconstruction_loss)
        ae.fit(make_dataset(images), epochs=10)

    Args:
        encoder: maps images ``(N, H, W, C)`` to codes ``(N, latent_dim)``.
        decoder: maps codes ``(N, latent_dim)`` back to images ``(N, H, W, C)``.
        noise_stddev: if > 0, a denoising autoencoder: Gaussian noise of this standard
            deviation is added to the input during training only; the loss still compares
            with the clean input.
    """

    NETWORKS = ("encoder", "decoder")

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        noise_stddev: float = 0.0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, decoder=decoder)
        image_shape, code_shape = check_encoder_decoder(encoder, decoder)
        self.noise_stddev = check_number(noise_stddev, "noise_stddev", low=0)
        self.image_shape = image_shape
        self.latent_dim = code_shape[-1]
        self.input_noise = (
            layers.GaussianNoise(self.noise_stddev) if self.noise_stddev > 0 else None
        )

    def call(self, x, training: bool = False):
        """Reconstruct ``x``: ``(N, H, W, C)`` -> ``(N, H, W, C)``; noise only if training."""
        check_images(x, "x", self.image_shape)
        if self.input_noise is not None:
            x = self.input_noise(x, training=training)
        return self.decoder(self.encoder(x, training=training), training=training)

    def encode(self, images, batch_size: int = 512) -> np.ndarray:
        """The codes ``(N, latent_dim)`` of ``images`` ``(N, H, W, C)``, in inference mode."""
        check_images(images, "images", self.image_shape)
        return self.encoder.predict(images, batch_size=batch_size, verbose=0)

    REPRODUCES_TARGETS = True  # fit(noisy, clean): the clean targets are what it reproduces

    @checks_training_images("decoder")
    def train_step(self, data):
        """Keras's own step, run once the training images are checked against the decoder's
        output range (``[0, 1]`` for a sigmoid decoder)."""
        return super().train_step(data)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss between the clean input (or ``y``, if given) and ``y_pred``."""
        return super().compute_loss(
            x=x,
            y=x if y is None else y,
            y_pred=y_pred,
            sample_weight=sample_weight,
            training=training,
        )

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Compiled metrics, with the input as target when no ``y`` is given."""
        return super().compute_metrics(x, x if y is None else y, y_pred, sample_weight)

    def settings(self) -> dict:
        return {"noise_stddev": self.noise_stddev}
