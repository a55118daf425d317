"""Models of a trained autoencoder's codes: the source article's method and its heirs.

Train an autoencoder, encode the training images once, learn the distribution of the codes
(a GAN, a diffusion model, ...) and decode what it draws. :class:`StandardisedCodes` is what
such models share: the frozen encoder and decoder, the codes' per-unit mean and standard
deviation (set by ``adapt``, saved with the model), and ``fit`` on images or on their codes.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_images
from aegan_tf.models.autoencoder import check_flat_codes, encode_checked
from aegan_tf.models.composed import Encoding, map_batches, output_range

_STD_FLOOR = 1e-6  # a code unit that never varies is divided by this, not by zero


def _example_rank(x) -> int | None:
    """The rank of the examples in ``fit``'s ``x`` (an array or a dataset of batches, perhaps
    with labels); ``None`` where it cannot be told."""
    if isinstance(x, tf.data.Dataset):
        spec = x.element_spec
        spec = spec[0] if isinstance(spec, tuple) else spec
        return getattr(spec, "shape", tf.TensorShape(None)).rank
    return getattr(x, "ndim", None)


class StandardisedCodes(Encoding):
    """For a model whose examples are a trained autoencoder's standardised codes.

    The encoder and decoder stay frozen: no optimizer updates them. :meth:`adapt` encodes the
    training images once and stores the mean and standard deviation of each code unit;
    ``fit`` then takes images (each batch is encoded) or the codes themselves,
    ``encode(images)`` ``(N, code_dim)``: the same training without running the encoder at
    every step. A subclass calls :meth:`_set_autoencoder` in its constructor and trains, in
    its ``train_step``, on ``self.standardize(self.training_codes(x))``.
    """

    def _set_autoencoder(self, encoder: keras.Model, decoder: keras.Model) -> None:
        """Hold ``encoder`` ``(N, H, W, C) -> (N, code_dim)`` and its ``decoder``, and create
        the code statistics (zeros until :meth:`adapt`)."""
        self._set_networks(encoder=encoder, decoder=decoder)
        self.image_shape, self.code_dim = check_flat_codes(encoder, decoder)
        self.code_mean = self.add_weight(
            shape=(self.code_dim,), initializer="zeros", trainable=False, name="code_mean"
        )
        self.code_std = self.add_weight(
            shape=(self.code_dim,), initializer="zeros", trainable=False, name="code_std"
        )

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
            name = type(self).__name__
            raise ValueError(
                f"Call adapt(train_images) before fit: the {name} trains on codes "
                "standardised by the training codes' mean and standard deviation."
            )
        x = args[0] if args else kwargs.get("x")
        codes = isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] == self.code_dim
        if codes and len(x) and np.isfinite(x).all():  # (other shapes: the step says)
            self._check_codes(x)
        rank = _example_rank(x)
        if rank != getattr(self, "_example_rank", rank):  # images after codes, or codes after
            self.train_function = None  # a step traced anew (not one of unknown rank)
        self._example_rank = rank
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
                f"0 and 1). Pass model.encode(images), unscaled, or the images."
            )

    def expected_examples(self) -> tuple[tuple[float, float] | None, int | None, str | None]:
        """Images in the decoder's output range (the range the autoencoder was trained on);
        codes ``(N, code_dim)`` only finite."""
        return output_range(self.decoder), 4, "decoder"

    def training_codes(self, x) -> tf.Tensor:
        """A training batch's codes ``(B, code_dim)``: ``x`` itself if it holds codes, else
        the frozen encoder's codes of the images ``x``."""
        if len(x.shape) == 2:  # codes, encoded once with encode(): the encoder is frozen
            if x.shape[1] not in (None, self.code_dim):
                raise ValueError(
                    f"fit takes images (N, {', '.join(map(str, self.image_shape))}) or their "
                    f"codes (N, {self.code_dim}) from encode(images); got shape {tuple(x.shape)}."
                )
            return x
        check_images(x, "images", self.image_shape)
        return self.encoder(x, training=False)  # frozen: no tape watches it

    def standardize(self, codes) -> tf.Tensor:
        """Codes ``(N, code_dim)`` -> zero mean, unit standard deviation per unit."""
        return (tf.cast(codes, tf.float32) - self.code_mean) / self.code_std

    def unstandardize(self, codes) -> tf.Tensor:
        """The inverse of :meth:`standardize`."""
        return tf.cast(codes, tf.float32) * self.code_std + self.code_mean

    def reconstruct(self, images, batch_size: int = 512) -> np.ndarray:
        """The autoencoder's reconstructions ``decoder(encoder(images))``, ``(N, H, W, C)``."""
        return map_batches(self.decoder, self.encode(images, batch_size), batch_size)
