"""The latent GAN: a GAN on a trained autoencoder's codes, decoded into images.

The source article's method: pretrain an autoencoder, encode the training images, train a
GAN whose samples are codes, and decode them. The GAN works on a few dozen numbers per
example instead of hundreds of pixels.
"""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf.models.autoencoder import Autoencoder
from aegan_tf.models.codes import StandardisedCodes
from aegan_tf.models.composed import map_batches
from aegan_tf.models.gan import GAN


@keras.saving.register_keras_serializable(package="aegan_tf")
class LatentGAN(StandardisedCodes, GAN):
    """A GAN whose examples are an autoencoder's standardised codes; ``generate`` decodes.

    The encoder and decoder stay frozen: only the generator and the discriminator have
    optimizers. :meth:`adapt` encodes the training images once and stores the mean and
    standard deviation of each code unit (saved with the model); ``fit`` then takes images,
    encodes each batch and trains the GAN on the standardised codes. It also takes the codes
    themselves, ``encode(images)`` ``(N, code_dim)``: the same training (the encoder is
    frozen) without running the encoder at every step::

        latent_gan = LatentGAN.from_autoencoder(
            autoencoder, build_mlp_generator(32, 32), build_mlp_discriminator(32))
        latent_gan.adapt(train_images)
        latent_gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
        latent_gan.fit(make_dataset(train_images), epochs=50)
        images = latent_gan.generate(16, seed=0)

    Args:
        encoder: images ``(N, H, W, C)`` -> codes ``(N, code_dim)``, trained.
        decoder: codes ``(N, code_dim)`` -> images ``(N, H, W, C)``, trained.
        generator: noise ``(N, latent_dim)`` -> standardised codes ``(N, code_dim)``.
        discriminator: standardised codes ``(N, code_dim)`` -> logits ``(N, 1)``.
        seed: seeds the noise drawn during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder", "generator", "discriminator")

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(generator, discriminator, seed=seed, **kwargs)
        self._set_autoencoder(encoder, decoder)
        if tuple(generator.output_shape[1:]) != (self.code_dim,):
            raise ValueError(
                f"the GAN's code size {generator.output_shape[1:]} (generator output) must equal "
                f"the autoencoder's code size {(self.code_dim,)}: build the generator and the "
                f"discriminator with data_dim={self.code_dim}."
            )

    @classmethod
    def from_autoencoder(
        cls,
        autoencoder: Autoencoder,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
    ) -> LatentGAN:
        """A latent GAN on a trained :class:`Autoencoder`'s encoder and decoder."""
        if not isinstance(autoencoder, Autoencoder):
            raise TypeError(
                f"autoencoder must be an Autoencoder, got {type(autoencoder).__name__}."
            )
        return cls(autoencoder.encoder, autoencoder.decoder, generator, discriminator, seed=seed)

    def train_step(self, data):
        batch = tuple(data) if isinstance(data, (tuple, list)) else (data,)
        codes = self.standardize(self.training_codes(batch[0]))
        return super().train_step((codes, *batch[1:]))  # (labels: a conditional GAN's)

    def generate_codes(
        self, n: int, seed: int = 0, batch_size: int = 256, labels=None
    ) -> np.ndarray:
        """``n`` generated codes ``(n, code_dim)``, in the encoder's units (comparable with
        :meth:`encode`), for the noise of :meth:`sample_noise` (``labels``: a conditional
        model's classes)."""
        return map_batches(
            lambda z, training: self.unstandardize(
                self.generator(self._generator_input(z), training=training)
            ),
            self.sample_noise(n, seed, labels),
            batch_size,
        )

    def generate_from(self, z) -> tf.Tensor:
        """Images for a noise batch ``(B, latent_dim)`` (conditional: with one-hot labels):
        decoded generated codes."""
        codes = self.unstandardize(self.generator(self._generator_input(z), training=False))
        return self.decoder(codes, training=False)
