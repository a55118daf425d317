"""Bases for models made of named sub-networks (encoder and decoder, generator and
discriminator, ...): :class:`ComposedModel` checks them and saves and reloads them with the
model; :class:`GenerativeModel` adds the generative contract, ``generate(n, seed)``, which is
all that callbacks and metrics use."""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_images, check_positive_int


def map_batches(network, x: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """``network(x)`` in batches of ``batch_size``, in inference mode, as float32 NumPy.

    Direct calls rather than ``predict``: ``predict`` retraces per network and prints
    TensorFlow's retracing warnings into a notebook's output.
    """
    batch_size = check_positive_int(batch_size, "batch_size")
    return np.concatenate(
        [keras.ops.convert_to_numpy(network(x[i : i + batch_size], training=False))
         for i in range(0, len(x), batch_size)]
    ).astype(np.float32)  # fmt: skip


class ComposedModel(keras.Model):
    """A ``keras.Model`` whose constructor takes sub-networks named in ``NETWORKS``.

    Subclasses list the constructor arguments that are networks in ``NETWORKS`` and the
    other ones in :meth:`settings`; ``get_config``/``from_config`` then round-trip through
    ``model.save`` and ``keras.models.load_model``.
    """

    NETWORKS: ClassVar[tuple[str, ...]] = ()

    def _set_networks(self, **networks: keras.Model) -> None:
        for role, net in networks.items():
            if not isinstance(net, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(net).__name__}.")
            setattr(self, role, net)
        self.built = True  # the networks are built; nothing is created at the first call

    def settings(self) -> dict:
        """The constructor's other arguments, as saved in the config."""
        return {}

    def get_config(self) -> dict:
        networks = {r: keras.saving.serialize_keras_object(getattr(self, r)) for r in self.NETWORKS}
        return {**super().get_config(), **networks, **self.settings()}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for role in cls.NETWORKS:
            config[role] = keras.saving.deserialize_keras_object(config[role])
        return cls(**config)


class GenerativeModel(ComposedModel):
    """A composed model that draws new examples: ``generate(n, seed) -> (n, ...)``.

    Subclasses set ``latent_dim`` and define :meth:`generate_from` (noise -> examples); they
    may override :meth:`sample_noise` (the default is ``N(0, I)``, as for a GAN or a VAE).
    """

    def sample_noise(self, n: int, seed: int = 0) -> np.ndarray:
        """Noise ``(n, latent_dim)`` from ``N(0, I)``, the same for the same ``seed`` anywhere."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, self.latent_dim)).astype(np.float32)

    def generate(self, n: int, seed: int = 0, batch_size: int = 256) -> np.ndarray:
        """``n`` generated examples ``(n, ...)`` for the noise of :meth:`sample_noise`."""
        return map_batches(
            lambda z, training: self.generate_from(z), self.sample_noise(n, seed), batch_size
        )

    def generate_from(self, z) -> tf.Tensor:
        """Examples for the noise batch ``z`` ``(B, latent_dim)``; subclasses define it."""
        raise NotImplementedError

    def _log(self, values: dict) -> dict:
        """Add ``values`` to the ``Mean`` trackers of the same names (``self.trackers``) and
        return every metric's result: what ``train_step`` returns."""
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {m.name: m.result() for m in self.metrics}


class Encoding:
    """For a :class:`GenerativeModel` with an ``encoder`` (and ``image_shape``): codes of
    images and their reconstructions through the model's own image network."""

    def encode(self, images, batch_size: int = 512) -> np.ndarray:
        """The codes ``(N, latent_dim)`` of ``images`` ``(N, H, W, C)``, in inference mode."""
        check_images(images, "images", self.image_shape)
        return map_batches(self.encoder, np.asarray(images, np.float32), batch_size)

    def reconstruct(self, images, batch_size: int = 512) -> np.ndarray:
        """The images ``(N, H, W, C)`` generated from the codes of ``images``."""
        codes = self.encode(images, batch_size)
        return map_batches(lambda z, training: self.generate_from(z), codes, batch_size)
