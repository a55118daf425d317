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

from aegan_tf._validation import check_images
from aegan_tf.models.autoencoder import Autoencoder, check_encoder_decoder, encode_checked
from aegan_tf.models.composed import Encoding, map_batches, output_range
from aegan_tf.models.gan import GAN

_STD_FLOOR = 1e-6  # a code unit that never varies is divided by this, not by zero


@keras.saving.register_keras_serializable(package="aegan_tf")
class LatentGAN(Encoding, GAN):
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
        self._set_networks(encoder=encoder, decoder=decoder)
        image_shape, code_shape = check_encoder_decoder(encoder, decoder)
        if len(code_shape) != 1:
            raise ValueError(
                f"encoder must output codes (N, code_dim), got {encoder.output_shape}."
            )
        if tuple(generator.output_shape[1:]) != code_shape:
            raise ValueError(
                f"the GAN's code size {generator.output_shape[1:]} (generator output) must equal "
                f"the autoencoder's code size {code_shape}: build the generator and the "
                f"discriminator with data_dim={code_shape[0]}."
            )
        self.image_shape = image_shape
        self.code_dim = code_shape[0]
        self.code_mean = self.add_weight(
            shape=code_shape, initializer="zeros", trainable=False, name="code_mean"
        )
        self.code_std = self.add_weight(
            shape=code_shape, initializer="zeros", trainable=False, name="code_std"
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

    @property
    def adapted(self) -> bool:
        """Whether :meth:`adapt` has set the code statistics (they load with the model)."""
        return bool(np.any(keras.ops.convert_to_numpy(self.code_std) > 0))

    def adapt(self, images: np.ndarray, batch_size: int = 512) -> dict[str, float]:
        """Encode ``images`` ``(N, H, W, C)`` and store each code unit's mean and std.

        Also checks that the autoencoder is trained: its reconstructions of ``images`` must
        be closer (mean squared error) than the mean image is. Returns both errors, as
        ``{"reconstruction_mse": ..., "mean_image_mse": ...}``.
        """
        check_images(images, "images", self.image_shape)
        codes, errors = encode_checked(self.encoder, self.decoder, images, batch_size)
        self.code_mean.assign(codes.mean(axis=0))
        self.code_std.assign(np.maximum(codes.std(axis=0), _STD_FLOOR))
        return errors

    def fit(self, *args, **kwargs):
        if not self.adapted:
            raise ValueError(
                "Call latent_gan.adapt(train_images) before fit: the GAN trains on codes "
                "standardised by the training codes' mean and standard deviation."
            )
        x = args[0] if args else kwargs.get("x")
        codes = isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.code_dim
        if codes and len(x) and np.isfinite(x).all():  # (other shapes: the step says)
            self._check_codes(x)
        return super().fit(*args, **kwargs)

    def _check_codes(self, codes: np.ndarray) -> None:
        """Codes given to ``fit`` must be in the encoder's units, as :meth:`encode` gives
        them: once standardised by :meth:`adapt`'s statistics, about 0 and 1."""
        standard = keras.ops.convert_to_numpy(self.standardize(codes))
        mean, std = float(np.abs(standard.mean(axis=0)).max()), float(standard.std())
        if mean > 5 or not 0.05 < std < 20:
            raise ValueError(
                f"fit's codes do not look like encode(images) of this autoencoder: "
                f"standardised by adapt's statistics, their largest mean is {mean:.3g} and "
                f"their standard deviation {std:.3g} (codes in the encoder's units give about "
                f"0 and 1). Pass latent_gan.encode(images), unscaled, or the images."
            )

    def expected_examples(self) -> tuple[tuple[float, float] | None, int | None, str | None]:
        """Images in the decoder's output range (the range the autoencoder was trained on);
        codes ``(N, code_dim)`` only finite."""
        return output_range(self.decoder), 4, "decoder"

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        if len(x.shape) == 2:  # codes, encoded once with encode(): the encoder is frozen
            if x.shape[1] not in (None, self.code_dim):
                raise ValueError(
                    f"fit takes images (N, {', '.join(map(str, self.image_shape))}) or their "
                    f"codes (N, {self.code_dim}) from encode(images); got shape {tuple(x.shape)}."
                )
            codes = x
        else:
            check_images(x, "images", self.image_shape)
            codes = self.encoder(x, training=False)  # frozen: no tape watches it
        return super().train_step(self.standardize(codes))

    def standardize(self, codes) -> tf.Tensor:
        """Codes ``(N, code_dim)`` -> zero mean, unit standard deviation per unit."""
        return (tf.cast(codes, tf.float32) - self.code_mean) / self.code_std

    def unstandardize(self, codes) -> tf.Tensor:
        """The inverse of :meth:`standardize`."""
        return tf.cast(codes, tf.float32) * self.code_std + self.code_mean

    def generate_codes(self, n: int, seed: int = 0, batch_size: int = 256) -> np.ndarray:
        """``n`` generated codes ``(n, code_dim)``, in the encoder's units (comparable with
        :meth:`encode`), for the noise of :meth:`sample_noise`."""
        z = self.sample_noise(n, seed)
        return map_batches(
            lambda z, training: self.unstandardize(self.generator(z, training=training)),
            z,
            batch_size,
        )

    def generate_from(self, z) -> tf.Tensor:
        """Images for a noise batch ``(B, latent_dim)``: decoded generated codes."""
        codes = self.unstandardize(self.generator(z, training=False))
        return self.decoder(codes, training=False)

    def reconstruct(self, images, batch_size: int = 512) -> np.ndarray:
        """The autoencoder's reconstructions ``decoder(encoder(images))``, ``(N, H, W, C)``."""
        return map_batches(self.decoder, self.encode(images, batch_size), batch_size)
