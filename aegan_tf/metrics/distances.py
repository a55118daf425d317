"""Distances between a real and a generated set: FID, KID, precision and recall.

Each function takes two sets, either images ``(N, 28, 28, 1)`` (turned into features by the
feature network, see :mod:`aegan_tf.metrics.features`) or features ``(N, D)`` already
computed (faster when one real set is compared with many generated ones).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np

from aegan_tf._validation import (
    RELIABLE_SAMPLES,
    check_digit_labels,
    check_finite,
    check_positive_int,
)
from aegan_tf.metrics.features import FEATURE_DIM, extract_features
from aegan_tf.metrics.nearest import pairwise_distances

Network = Literal["mnist", "inception"]
FEATURE_WIDTHS = {"mnist": FEATURE_DIM, "inception": 2048}  # D of each network's features


class SmallSampleWarning(UserWarning):
    """A metric computed on too few samples to mean much; the message says how many."""


def warn_if_few(metric: str, sizes: dict[str, int], needed: int) -> None:
    """Warn (:class:`SmallSampleWarning`) if a set of ``sizes`` (name -> count) has fewer
    than ``needed`` samples."""
    few = {name: n for name, n in sizes.items() if n < needed}
    if few:
        counts = " and ".join(f"{n} {name}" for name, n in few.items())
        warnings.warn(
            f"{metric} of {counts} samples means little: below {needed} samples a set's own "
            f"noise dominates it. Compare values only at equal, larger sizes (the book uses "
            f"2,000).",
            SmallSampleWarning,
            stacklevel=3,
        )


def as_features(
    x: np.ndarray, value_range: tuple[float, float] = (-1.0, 1.0), network: Network = "mnist"
) -> np.ndarray:
    """``x`` itself if it is a feature matrix ``(N, D)``; its features if it is images."""
    x = np.asarray(x)
    if x.ndim == 2:
        if not np.issubdtype(x.dtype, np.floating):
            raise TypeError(f"features must be floating point, got dtype {x.dtype}.")
        if x.shape[1] == 28 * 28:
            raise ValueError(
                f"expected images (N, 28, 28, 1) or features (N, D), got {x.shape}: flattened "
                f"images, taken as features, would give a distance between raw pixels. Pass "
                f"images as (N, 28, 28, 1) (the {network!r} network's features have "
                f"D = {FEATURE_WIDTHS[network]})."
            )
        if not np.all(np.isfinite(x)):
            raise ValueError("features hold non-finite values (NaN or infinity).")
        return x.astype(np.float64)
    if x.ndim == 4:
        return extract_features(x, value_range, network)
    raise ValueError(f"expected images (N, 28, 28, 1) or features (N, D), got shape {x.shape}.")


def _pair(real, fake, value_range, network, min_samples: int) -> tuple[np.ndarray, np.ndarray]:
    real = as_features(real, value_range, network)
    fake = as_features(fake, value_range, network)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"the two sets must have the same feature size, got {real.shape[1]} and "
            f"{fake.shape[1]} (images of different shapes, or features of different networks?)."
        )
    for name, x in (("real", real), ("fake", fake)):
        if len(x) < min_samples:
            raise ValueError(
                f"{name} has {len(x)} samples; this metric needs at least {min_samples}."
            )
    return real, fake


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Symmetric square root of a symmetric positive semi-definite matrix."""
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    return (eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ eigenvectors.T


def frechet_distance(
    mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray
) -> float:
    """``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))``, between two Gaussians.

    The trace of ``(S1 S2)^(1/2)`` is computed as that of ``(S1^(1/2) S2 S1^(1/2))^(1/2)``:
    the same value (the two matrices are similar), but the argument is symmetric, so its
    eigenvalues are real and only need clipping at 0. This avoids the complex results and
    failures of a general matrix square root on near-singular covariances (a set of fewer
    samples than dimensions, or duplicated samples).
    """
    mu1, mu2 = check_finite(mu1, "mu1"), check_finite(mu2, "mu2")
    sigma1, sigma2 = check_finite(sigma1, "sigma1"), check_finite(sigma2, "sigma2")
    d = mu1.shape[0] if mu1.ndim == 1 else None
    if d is None or mu2.shape != (d,) or sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(
            f"expected two means (D,) and two covariances (D, D) of one D, got means "
            f"{mu1.shape} and {mu2.shape}, covariances {sigma1.shape} and {sigma2.shape}."
        )
    root1 = _sqrt_psd(sigma1)
    middle = root1 @ sigma2 @ root1
    trace_covmean = np.sum(np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)))
    distance = np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2 * trace_covmean
    return float(max(distance, 0.0))


def fid(
    real: np.ndarray,
    fake: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    network: Network = "mnist",
) -> float:
    """Fréchet Inception Distance (Heusel et al. 2017, "GANs Trained by a Two Time-Scale
    Update Rule Converge to a Local Nash Equilibrium"), with the chosen feature network.

    Fits a Gaussian to each set's features and returns their Fréchet distance: 0 for
    identical statistics, larger for worse samples. Biased upwards for small sets: compare
    values only at the same set sizes.
    """
    real, fake = _pair(real, fake, value_range, network, min_samples=2)
    warn_if_few(
        "FID", {"real": len(real), "fake": len(fake)}, max(RELIABLE_SAMPLES, real.shape[1] + 1)
    )
    return frechet_distance(
        real.mean(axis=0), np.cov(real, rowvar=False), fake.mean(axis=0), np.cov(fake, rowvar=False)
    )


def _polynomial_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 with the kernel ``k(a, b) = (a.b / d + 1)^3``."""
    d = x.shape[1]
    k_xx = (x @ x.T / d + 1) ** 3
    k_yy = (y @ y.T / d + 1) ** 3
    k_xy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    within_x = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    within_y = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(within_x + within_y - 2 * k_xy.mean())


def kid(
    real: np.ndarray,
    fake: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    network: Network = "mnist",
    subsets: int = 10,
    subset_size: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs").

    The unbiased estimate of the squared MMD with the cubic polynomial kernel
    ``(x.y / d + 1)^3``, averaged over ``subsets`` random subsets of ``subset_size``
    (capped by the set sizes). Returns ``(mean, std)`` over the subsets. Unlike FID it is
    unbiased: about 0 (within its std, and possibly negative) for two samples of the
    same distribution.
    """
    real, fake = _pair(real, fake, value_range, network, min_samples=2)
    warn_if_few("KID", {"real": len(real), "fake": len(fake)}, RELIABLE_SAMPLES)
    subsets = check_positive_int(subsets, "subsets")
    if check_positive_int(subset_size, "subset_size") < 2:
        raise ValueError(
            f"subset_size must be at least 2 (the unbiased MMD estimate compares distinct "
            f"pairs within each subset), got {subset_size}."
        )
    size = min(subset_size, len(real), len(fake))
    rng = np.random.default_rng(seed)
    values = [
        _polynomial_mmd2(
            real[rng.choice(len(real), size, replace=False)],
            fake[rng.choice(len(fake), size, replace=False)],
        )
        for _ in range(subsets)
    ]
    return float(np.mean(values)), float(np.std(values))


def intra_class_kid(
    images: np.ndarray,
    asked,
    train_images: np.ndarray,
    train_labels,
    value_range: tuple[float, float] = (-1.0, 1.0),
    subsets: int = 10,
    subset_size: int = 1000,
) -> np.ndarray:
    """KID (:func:`kid`, its mean) of each digit's samples against that digit's training
    images: ``(10,)``, NaN for a digit with fewer than 2 samples or images. ``images``
    ``(N, 28, 28, 1)`` were drawn for the digits ``asked`` ``(N,)``; ``train_images``
    ``(M, 28, 28, 1)`` (or their features, :func:`extract_features`) have the labels
    ``train_labels`` ``(M,)``, both sets in ``value_range``. The intra-class distance of
    Miyato & Koyama 2018 (who used FID), with KID: unbiased with the few hundred images of
    one class, where FID is not."""
    asked = check_digit_labels(asked, len(images), "asked")
    train_labels = check_digit_labels(train_labels, len(train_images), "train_labels")
    fake = as_features(images, value_range)
    real = as_features(train_images, value_range)
    values = np.full(10, np.nan)
    for k in range(10):
        if np.sum(asked == k) >= 2 and np.sum(train_labels == k) >= 2:
            with warnings.catch_warnings():  # a class of few images: said in the docstring
                warnings.simplefilter("ignore", SmallSampleWarning)
                values[k] = kid(
                    real[train_labels == k], fake[asked == k], subsets=subsets,
                    subset_size=subset_size,
                )[0]  # fmt: skip
    return values


_ROWS = 256  # rows of a distance matrix computed at once: memory stays small for large sets


def _kth_neighbour_radii(x: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row of ``x`` to its k-th nearest other row."""
    return np.concatenate([
        np.partition(pairwise_distances(x[i : i + _ROWS], x), k, axis=1)[:, k]  # [:, 0]: itself
        for i in range(0, len(x), _ROWS)
    ])  # fmt: skip


def _inside_any_ball(queries: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    return np.concatenate([
        np.any(pairwise_distances(queries[i : i + _ROWS], centres) <= radii[None, :], axis=1)
        for i in range(0, len(queries), _ROWS)
    ])  # fmt: skip


def precision_recall(
    real: np.ndarray,
    fake: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    network: Network = "mnist",
    k: int = 3,
) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019).

    Each set's manifold is the union of balls around its samples, each ball reaching the
    sample's k-th nearest neighbour in the same set. Precision: the share of generated
    samples inside the real manifold (are the samples realistic?). Recall: the share of
    real samples inside the generated manifold (is the data's variety covered?).
    """
    k = check_positive_int(k, "k")
    real, fake = _pair(real, fake, value_range, network, min_samples=k + 1)
    warn_if_few("Precision and recall", {"real": len(real), "fake": len(fake)}, RELIABLE_SAMPLES)
    precision = _inside_any_ball(fake, real, _kth_neighbour_radii(real, k)).mean()
    recall = _inside_any_ball(real, fake, _kth_neighbour_radii(fake, k)).mean()
    return float(precision), float(recall)
