"""Coverage: which modes of a known mixture the generated samples reach."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aegan_tf._validation import check_finite, check_number


@dataclass(frozen=True)
class ModeCoverage:
    """The result of :func:`mode_coverage`."""

    modes_covered: int
    """Modes that received at least ``min_share`` of a fair share of the samples."""
    high_quality: float
    """Fraction of samples within ``radius`` of some mode's centre."""
    counts: np.ndarray
    """Samples near each mode, ``(modes,)``."""
    covered: np.ndarray
    """Whether each mode is covered, ``(modes,)`` bool."""


def mode_coverage(
    samples: np.ndarray,
    centers: np.ndarray,
    std: float,
    n_std: float = 3.0,
    min_share: float = 0.25,
) -> ModeCoverage:
    """Count the modes of a Gaussian mixture that generated ``samples`` ``(N, D)`` reach.

    A sample is *high quality* if it lies within ``n_std * std`` of a centre
    (``centers``: ``(modes, D)``), as in Srivastava et al. 2017 (VEEGAN) and Metz et al.
    2017 (Unrolled GANs). A mode is *covered* if at least ``min_share`` of its fair share
    ``N / modes`` of the samples lie near it, so that a few strays do not count as coverage.
    """
    samples, centers = np.asarray(samples, np.float64), np.asarray(centers, np.float64)
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples (N, D) and centers (modes, D) must share D, got {samples.shape} and "
            f"{centers.shape}."
        )
    if len(samples) == 0:
        raise ValueError("samples is empty.")
    check_finite(samples, "samples")  # (a NaN sample is near no centre: coverage would drop)
    std = check_number(std, "std", low=0, above=True)
    n_std = check_number(n_std, "n_std", low=0, above=True)
    if not 0 < check_number(min_share, "min_share") <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}.")
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)  # (N, modes)
    nearest = distances.argmin(axis=1)
    near = distances.min(axis=1) <= n_std * std
    counts = np.bincount(nearest[near], minlength=len(centers))
    covered = counts >= min_share * len(samples) / len(centers)  # of a fair share
    return ModeCoverage(
        modes_covered=int(covered.sum()),
        high_quality=float(near.mean()),
        counts=counts,
        covered=covered,
    )
