"""The variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes").

The encoder gives a Gaussian ``q(z|x) = N(μ(x), diag σ²(x))`` instead of one code; training
maximises the evidence lower bound (ELBO)

    log p(x) >= E_q[log p(x|z)] - KL(q(z|x) || N(0, I)),

that is, minimises a reconstruction term plus the KL term. New images are ``decoder(z)``,
``z ~ N(0, I)``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf._validation import check_images, check_number
from aegan_tf.distribute import rows_for_this_replica, share_of_global_loss
from aegan_tf.models.composed import (
    Encoding,
    GenerativeModel,
    OwnLoss,
    check_reconstruction,
    checks_training_images,
)


def reparameterize(mean, log_var, seed=None, epsilon=None) -> tf.Tensor:
    """``z = μ + σ ε``, ``ε ~ N(0, I)``, ``σ = exp(log_var / 2)``; all ``(N, latent_dim)``.

    The reparameterisation trick (Kingma & Welling 2014, section 2.4): the sample is a
    differentiable function of ``μ`` and ``log σ²``, so gradients reach the encoder.
    ``seed`` is an int, a ``keras.random.SeedGenerator`` or ``None``; ``epsilon``
    ``(N, latent_dim)``, if given, replaces the draw.
    """
    mean = tf.cast(mean, tf.float32)
    log_var = tf.cast(log_var, tf.float32)
    if epsilon is None:
        epsilon = rows_for_this_replica(
            lambda n: keras.random.normal((n, tf.shape(mean)[1]), seed=seed), tf.shape(mean)[0]
        )
    else:
        epsilon = tf.cast(epsilon, tf.float32)
        if tuple(epsilon.shape) != tuple(mean.shape):
            raise ValueError(
                f"epsilon must have the shape of mean, {tuple(mean.shape)}, got "
                f"{tuple(epsilon.shape)}."
            )
    return mean + tf.exp(0.5 * log_var) * epsilon


def split_posterior(encoder_output) -> tuple[tf.Tensor, tf.Tensor]:
    """An encoder's output ``(N, 2 d)`` -> ``(μ, log σ²)``, each ``(N, d)``."""
    mean, log_var = tf.split(tf.cast(encoder_output, tf.float32), 2, axis=-1)
    return mean, log_var


def check_vae_networks(encoder: keras.Model, decoder: keras.Model) -> tuple[tuple, int]:
    """Check a VAE's encoder ``(N, H, W, C) -> (N, 2 d)`` and decoder ``(N, d) -> (N, H, W, C)``;
    return ``(image_shape, d)``."""
    image_shape = tuple(encoder.input_shape[1:])
    out, code = tuple(encoder.output_shape[1:]), tuple(decoder.input_shape[1:])
    if len(out) != 1 or len(code) != 1 or out[0] != 2 * code[0]:
        raise ValueError(
            f"a VAE's encoder outputs the mean and the log-variance, (N, 2 * latent_dim), and "
            f"its decoder takes (N, latent_dim): got encoder output {encoder.output_shape} and "
            f"decoder input {decoder.input_shape}. Build the encoder with 2 * latent_dim units."
        )
    if tuple(decoder.output_shape[1:]) != image_shape:
        raise ValueError(
            f"decoder output shape {decoder.output_shape[1:]} must equal encoder input "
            f"shape {image_shape}."
        )
    return image_shape, code[0]


class VariationalCodes(Encoding):
    """Codes, reconstructions and samples of a model with a VAE's encoder and decoder."""

    def encode(self, images, batch_size: int = 512) -> np.ndarray:
        """The posterior means ``μ(x)`` ``(N, latent_dim)`` of ``images`` ``(N, H, W, C)``;
        ``reconstruct`` decodes them."""
        return super().encode(images, batch_size)[:, : self.latent_dim]

    def generate_from(self, z) -> tf.Tensor:
        """``decoder(z)`` for ``z`` ``(B, latent_dim)``, in inference mode."""
        return self.decoder(z, training=False)


@keras.saving.register_keras_serializable(package="aegan_tf")
class VAE(OwnLoss, VariationalCodes, GenerativeModel):
    """A VAE trained with ``compile(optimizer)``/``fit``; ``evaluate`` gives the held-out loss.

    ::

        vae = VAE(build_conv_encoder(2 * 16), build_conv_decoder(16))
        vae.compile(keras.optimizers.Adam(1e-3))
        vae.fit(make_dataset(images), epochs=20)
        images = vae.generate(16, seed=0)

    ``fit`` logs ``loss`` (the negative ELBO per image when ``beta`` is 1, in nats),
    ``reconstruction`` and ``kl``.

    Args:
        encoder: images ``(N, H, W, C)`` -> ``[μ, log σ²]`` ``(N, 2 latent_dim)``.
        decoder: codes ``(N, latent_dim)`` -> images ``(N, H, W, C)``.
        beta: weight of the KL term (1: the ELBO; other values: a β-VAE, Higgins et al. 2017).
        reconstruction: ``"bce"``: a Bernoulli decoder, ``-log p(x|z)`` summed over pixels
            (images in [0, 1], a sigmoid decoder); ``"mse"``: a Gaussian decoder of variance
            1/2, the squared error summed over pixels.
        seed: seeds the ``ε`` of the reparameterisation during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder")
    OWN_LOSS: ClassVar = "the negative ELBO, logged as loss, reconstruction and kl"

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        beta: float = 1.0,
        reconstruction: str = "bce",
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, decoder=decoder)
        self.image_shape, self.latent_dim = check_vae_networks(encoder, decoder)
        self.beta = check_number(beta, "beta", low=0)
        self.reconstruction = check_reconstruction(reconstruction, decoder)
        self.seed = seed
        self.noise_seeds = keras.random.SeedGenerator(seed)  # training's noise
        # evaluate's and validation's own noise: evaluating never moves training's stream
        self.evaluation_seeds = keras.random.SeedGenerator(None if seed is None else seed + 1)
        self.trackers = {n: keras.metrics.Mean(name=n) for n in ("loss", "reconstruction", "kl")}

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def call(self, images, training: bool = False):
        """The reconstruction of ``images`` from the posterior mean, ``(N, H, W, C)``."""
        mean, _ = split_posterior(self.encoder(images, training=training))
        return self.decoder(mean, training=training)

    def negative_elbo(self, images, training: bool = False) -> dict[str, tf.Tensor]:
        """``{"loss", "reconstruction", "kl"}``, batch means of the per-image terms; ``z`` is
        drawn from training's noise stream when ``training``, else from evaluation's."""
        check_images(images, "images", self.image_shape)
        mean, log_var = split_posterior(self.encoder(images, training=training))
        seeds = self.noise_seeds if training else self.evaluation_seeds
        z = reparameterize(mean, log_var, seeds)
        reconstructed = self.decoder(z, training=training)
        pixels = math.prod(self.image_shape)
        per_pixel = losses.RECONSTRUCTION_LOSSES[self.reconstruction](images, reconstructed)
        reconstruction = tf.reduce_mean(pixels * per_pixel)  # summed over pixels, mean over N
        kl = tf.reduce_mean(losses.kl_to_standard_normal(mean, log_var))
        return {"loss": reconstruction + self.beta * kl, "reconstruction": reconstruction, "kl": kl}

    @checks_training_images("decoder")
    def train_step(self, data):
        images = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        with tf.GradientTape() as tape:
            terms = self.negative_elbo(images, training=True)
            scaled = self.optimizer.scale_loss(share_of_global_loss(terms["loss"]))
        variables = self.trainable_variables
        self.optimizer.apply(tape.gradient(scaled, variables), variables)
        return self._log(terms)

    def test_step(self, data):
        images = data[0] if isinstance(data, (tuple, list)) else data
        return self._log(self.negative_elbo(images, training=False))

    def settings(self) -> dict:
        return {"beta": self.beta, "reconstruction": self.reconstruction, "seed": self.seed}
