"""Latent spaces: linear and spherical paths between two codes, and the best linear code.

:class:`PrincipalComponents` is the baseline of every autoencoder: under squared error, a
linear autoencoder with ``k`` code units learns the span of the first ``k`` principal axes
(Baldi & Hornik 1989), so PCA gives what it would reach, without training.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from aegan_tf._validation import check_finite, check_positive_int

INTERPOLATIONS = ("linear", "slerp")


def interpolate(
    start: np.ndarray,
    end: np.ndarray,
    steps: int = 10,
    method: Literal["linear", "slerp"] = "linear",
) -> np.ndarray:
    """Codes from ``start`` to ``end`` (each ``(latent_dim,)``), shape ``(steps, latent_dim)``.

    ``linear``: ``(1 - t) a + t b``. ``slerp`` follows the great circle between the two
    directions and interpolates the norm linearly (White 2016, "Sampling Generative
    Networks"): under a Gaussian prior, linear midpoints have unusually small norms and
    decode to atypical images; slerp keeps them typical. The first row is ``start`` and the
    last ``end``.
    """
    start = check_finite(start, "start").astype(np.float64)
    end = check_finite(end, "end").astype(np.float64)
    if start.ndim != 1 or start.shape != end.shape:
        raise ValueError(
            f"start and end must be 1-D codes of the same length, got shapes {start.shape} "
            f"and {end.shape}."
        )
    steps = check_positive_int(steps, "steps")
    if steps < 2:
        raise ValueError(f"steps must be >= 2 to include both ends, got {steps}.")
    if method not in INTERPOLATIONS:
        raise ValueError(f"Unknown method {method!r}; choose one of {INTERPOLATIONS}.")
    t = np.linspace(0.0, 1.0, steps)[:, None]  # (steps, 1)
    if method == "linear":
        return ((1 - t) * start + t * end).astype(np.float32)
    norm_a, norm_b = np.linalg.norm(start), np.linalg.norm(end)
    if norm_a == 0 or norm_b == 0:
        raise ValueError("slerp needs non-zero start and end codes; use method='linear'.")
    u, v = start / norm_a, end / norm_b
    omega = np.arccos(np.clip(u @ v, -1.0, 1.0))
    if np.isclose(np.sin(omega), 0.0):  # parallel directions: the circle is a line
        directions = (1 - t) * u + t * v
    else:
        directions = (np.sin((1 - t) * omega) * u + np.sin(t * omega) * v) / np.sin(omega)
    return (directions * ((1 - t) * norm_a + t * norm_b)).astype(np.float32)


@dataclass(frozen=True)
class PrincipalComponents:
    """The first ``k`` principal axes of a data set: a linear encoder and decoder.

    Build with :meth:`fit`; ``encode`` projects examples on the axes, ``decode`` maps codes
    back to examples of the fitted shape, ``decode(encode(x))`` is the best rank-``k``
    linear reconstruction of ``x`` in squared error.
    """

    mean: np.ndarray
    """The data's mean, ``(D,)`` (``D`` = features of one example, flattened)."""
    axes: np.ndarray
    """``(k, D)``, orthonormal rows, by decreasing variance."""
    example_shape: tuple[int, ...]
    """The shape of one example, such as ``(28, 28, 1)``."""

    @classmethod
    def fit(cls, x: np.ndarray, k: int) -> PrincipalComponents:
        """The axes of ``x`` ``(N, ...)`` (by SVD of the centred data), ``k <= min(N, D)``."""
        x = check_finite(x, "x").astype(np.float64)
        if x.ndim < 2 or len(x) < 2:
            raise ValueError(f"x must hold at least 2 examples, shape (N, ...); got {x.shape}.")
        flat = x.reshape(len(x), -1)
        k = check_positive_int(k, "k")
        if k > min(flat.shape):
            raise ValueError(f"k must be at most min(N, D) = {min(flat.shape)}, got {k}.")
        mean = flat.mean(axis=0)
        _, _, rows = np.linalg.svd(flat - mean, full_matrices=False)
        return cls(mean=mean, axes=rows[:k], example_shape=tuple(x.shape[1:]))

    def encode(self, x: np.ndarray) -> np.ndarray:
        """Codes ``(N, k)`` of examples ``(N, *example_shape)``."""
        x = check_finite(x, "x")
        if tuple(x.shape[1:]) != self.example_shape:
            raise ValueError(f"x must have shape (N, *{self.example_shape}), got {x.shape}.")
        flat = x.reshape(len(x), -1).astype(np.float64)
        return ((flat - self.mean) @ self.axes.T).astype(np.float32)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """Examples ``(N, *example_shape)`` from codes ``(N, k)``."""
        codes = check_finite(codes, "codes")
        if codes.ndim != 2 or codes.shape[1] != len(self.axes):
            raise ValueError(f"codes must have shape (N, {len(self.axes)}), got {codes.shape}.")
        flat = codes.astype(np.float64) @ self.axes + self.mean
        return flat.reshape(len(codes), *self.example_shape).astype(np.float32)
