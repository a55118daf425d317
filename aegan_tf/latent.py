"""Paths through a latent space: linear and spherical interpolation between two codes."""

from __future__ import annotations

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
