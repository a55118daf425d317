"""Priors over codes: the distributions an adversarial autoencoder pushes its codes toward.

Each prior draws ``(codes, components)``: codes ``(N, dim)`` and the index of the mixture
component each came from ``(N,)`` (all 0 for a single Gaussian). ``seed`` is an int (the same
draw every time) or a ``keras.random.SeedGenerator`` (a new draw at each call, also inside a
compiled ``train_step``). Both are Keras-serialisable, so a model saves its prior.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_positive_int


def _check_scale(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r}).")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="aegan_tf")
class GaussianMixturePrior:
    """An equal-weight mixture of ``n_components`` Gaussians ``N(μ_k, std² I)`` in ``dim``
    dimensions.

    The means lie on a circle of radius ``radius`` in the plane of the first two code units
    (Makhzani et al. 2015, "Adversarial Autoencoders", figure 4, uses 10 components in 2-D);
    with one component (:class:`GaussianPrior`) the mean is 0.

    Args:
        dim: code size, >= 2 for a mixture.
        n_components: number of components (10: one per digit class).
        radius: distance of each mean from the origin.
        std: standard deviation of each component, in every direction.
    """

    def __init__(
        self, dim: int, n_components: int = 10, radius: float = 4.0, std: float = 0.5
    ) -> None:
        self.dim = check_positive_int(dim, "dim")
        self.n_components = check_positive_int(n_components, "n_components")
        if self.n_components > 1 and self.dim < 2:
            raise ValueError(
                f"a mixture prior needs dim >= 2 (its means lie on a circle), got {dim}."
            )
        self.radius = _check_scale(radius, "radius")
        self.std = _check_scale(std, "std")
        angles = 2 * np.pi * np.arange(self.n_components) / self.n_components
        means = np.zeros((self.n_components, self.dim), np.float32)
        if self.n_components > 1:
            means[:, 0], means[:, 1] = self.radius * np.cos(angles), self.radius * np.sin(angles)
        self.means = means
        """The component means, ``(n_components, dim)``."""

    def sample(
        self, n, seed: int | keras.random.SeedGenerator = 0, components=None
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """``(codes (n, dim), components (n,))``; ``components`` fixes each draw's component."""
        if isinstance(seed, (int, np.integer)):  # one stream for both draws
            seed = keras.random.SeedGenerator(int(seed))
        if components is None:
            components = keras.random.randint((n,), 0, self.n_components, seed=seed)
        else:
            components = tf.convert_to_tensor(components)
            if not components.dtype.is_integer:
                raise TypeError(
                    f"components must be integer labels, got dtype {components.dtype.name}."
                )
            components = tf.reshape(components, [-1])
            if tf.executing_eagerly():  # a caller's components: a ValueError that names them
                values = components.numpy()
                if values.size and (values.min() < 0 or values.max() >= self.n_components):
                    raise ValueError(
                        f"components must be in [0, {self.n_components}), got {values.min()} "
                        f"to {values.max()}."
                    )
            else:  # in a training step (which XLA strips of asserts), labels that fit checked
                tf.debugging.assert_less(
                    tf.cast(components, tf.int64),
                    tf.cast(self.n_components, tf.int64),
                    message=f"components must be in [0, {self.n_components})",
                )
        noise = keras.random.normal((n, self.dim), stddev=self.std, seed=seed)
        return tf.gather(self.means, components) + noise, components

    def get_config(self) -> dict:
        return {
            "dim": self.dim,
            "n_components": self.n_components,
            "radius": self.radius,
            "std": self.std,
        }

    @classmethod
    def from_config(cls, config: dict) -> GaussianMixturePrior:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@keras.saving.register_keras_serializable(package="aegan_tf")
class GaussianPrior(GaussianMixturePrior):
    """``N(0, std² I)`` in ``dim`` dimensions: the prior of a VAE and of the plain AAE."""

    def __init__(self, dim: int, std: float = 1.0) -> None:
        super().__init__(dim, n_components=1, radius=1.0, std=std)

    def get_config(self) -> dict:
        return {"dim": self.dim, "std": self.std}
