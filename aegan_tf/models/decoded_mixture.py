"""The simplest generator made of an autoencoder: a Gaussian mixture fitted to its codes,
whose samples are decoded into images. The baseline every adversarial method must beat."""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_images, check_positive_int
from aegan_tf.density import GaussianMixture, fit_gaussian_mixture
from aegan_tf.models.autoencoder import Autoencoder, check_flat_codes, encode_checked
from aegan_tf.models.composed import Encoding, GenerativeModel, check_in_output_range


@keras.saving.register_keras_serializable(package="aegan_tf")
class DecodedGaussianMixture(Encoding, GenerativeModel):
    """A trained autoencoder plus a Gaussian mixture fitted to its codes; ``generate`` decodes
    samples of the mixture.

    Nothing is trained by gradient: :meth:`adapt` encodes the training images and fits the
    mixture by EM (:func:`aegan_tf.density.fit_gaussian_mixture`); the mixture is saved
    with the model. One component is the fitted-Gaussian baseline::

        sampler = DecodedGaussianMixture.from_autoencoder(autoencoder, n_components=10)
        sampler.adapt(train_images)
        images = sampler.generate(16, seed=0)

    Args:
        encoder: images ``(N, H, W, C)`` -> codes ``(N, code_dim)``, trained.
        decoder: codes ``(N, code_dim)`` -> images ``(N, H, W, C)``, trained.
        n_components: mixture components.
    """

    NETWORKS: ClassVar = ("encoder", "decoder")

    def __init__(
        self, encoder: keras.Model, decoder: keras.Model, n_components: int = 1, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, decoder=decoder)
        self.image_shape, self.latent_dim = check_flat_codes(encoder, decoder)
        self.n_components = check_positive_int(n_components, "n_components")
        k, d = self.n_components, self.latent_dim
        self.mixture_weights = self.add_weight(
            shape=(k,), initializer="zeros", trainable=False, name="mixture_weights"
        )
        self.mixture_means = self.add_weight(
            shape=(k, d), initializer="zeros", trainable=False, name="mixture_means"
        )
        self.mixture_covariances = self.add_weight(
            shape=(k, d, d), initializer="zeros", trainable=False, name="mixture_covariances"
        )

    @classmethod
    def from_autoencoder(
        cls, autoencoder: Autoencoder, n_components: int = 1
    ) -> DecodedGaussianMixture:
        """A mixture on a trained :class:`Autoencoder`'s encoder and decoder."""
        if not isinstance(autoencoder, Autoencoder):
            raise TypeError(
                f"autoencoder must be an Autoencoder, got {type(autoencoder).__name__}."
            )
        return cls(autoencoder.encoder, autoencoder.decoder, n_components)

    def settings(self) -> dict:
        return {"n_components": self.n_components}

    @property
    def mixture(self) -> GaussianMixture:
        """The fitted mixture (all zeros before :meth:`adapt`)."""
        return GaussianMixture(
            *(keras.ops.convert_to_numpy(v).astype(np.float64)
              for v in (self.mixture_weights, self.mixture_means, self.mixture_covariances))
        )  # fmt: skip

    @property
    def adapted(self) -> bool:
        """Whether :meth:`adapt` has fitted the mixture (it loads with the model)."""
        return bool(np.any(keras.ops.convert_to_numpy(self.mixture_weights) > 0))

    def adapt(
        self, images: np.ndarray, seed: int = 0, batch_size: int = 512, check: bool = True
    ) -> dict[str, float]:
        """Encode ``images`` ``(N, H, W, C)`` and fit the mixture to their codes by EM.

        Checks first that the autoencoder is trained (see
        :func:`aegan_tf.models.autoencoder.encode_checked`); returns its errors plus
        ``log_likelihood``, the mean log-density of the codes under the fitted mixture.
        ``check=False`` skips the check (and the errors): to sample from an autoencoder
        still in training, as a curve of quality against time does.
        """
        check_images(images, "images", self.image_shape)
        check_in_output_range(images, self.decoder, "decoder")  # (also with check=False)
        if check:
            codes, errors = encode_checked(self.encoder, self.decoder, images, batch_size)
        else:
            codes, errors = self.encode(images, batch_size), {}
        mixture = fit_gaussian_mixture(codes, self.n_components, seed=seed)
        self.mixture_weights.assign(mixture.weights)
        self.mixture_means.assign(mixture.means)
        self.mixture_covariances.assign(mixture.covariances)
        return {**errors, "log_likelihood": float(mixture.log_density(codes).mean())}

    def sample_noise(self, n: int, seed: int = 0, labels=None) -> np.ndarray:
        """``n`` codes ``(n, code_dim)`` drawn from the fitted mixture (no ``labels``)."""
        if labels is not None:
            self.check_labels(labels, n)
        if not self.adapted:
            raise ValueError(
                "Call adapt(train_images) first: there is no mixture to sample from yet."
            )
        return self.mixture.sample(n, seed)[0]

    def generate_from(self, z) -> tf.Tensor:
        """Images for a batch of codes ``(B, code_dim)``: the decoder's output."""
        return self.decoder(z, training=False)
