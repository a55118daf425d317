"""The checks of chapter 4's exercises: check_frechet_distance, check_polynomial_mmd2."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf.book.exercises._checking import (
    _judge,
    _Mistake,
    _rng,
)
from aegan_tf.metrics import distances


def _gaussian_features(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    mixing = rng.normal(size=(d, d))
    return rng.normal(size=(n, d)) @ mixing + rng.normal(size=d)


def _fd_from_features(a, b) -> float:
    return distances.frechet_distance(
        a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False)
    )


def check_frechet_distance(function: Callable) -> None:
    """``function(features_a, features_b)``: ``(N, d)`` and ``(M, d)`` -> a float, the Fréchet
    distance between Gaussians fitted to each set (mean and covariance)."""
    rng = _rng()
    sizes = ((300, 200, 4), (500, 400, 6))
    cases = [(_gaussian_features(rng, n, d), _gaussian_features(rng, m, d)) for n, m, d in sizes]

    def means_only(a, b):
        return float(np.sum((a.mean(0) - b.mean(0)) ** 2))

    def no_root(a, b):
        sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        return means_only(a, b) + np.trace(sa + sb - 2 * sa @ sb)

    def diagonal(a, b):
        va, vb = a.var(0, ddof=1), b.var(0, ddof=1)
        return means_only(a, b) + np.sum(va + vb - 2 * np.sqrt(va * vb))

    def no_square(a, b):
        return _fd_from_features(a, b) - means_only(a, b) + np.linalg.norm(a.mean(0) - b.mean(0))

    _judge(
        "frechet_distance",
        function,
        cases,
        _fd_from_features,
        [
            _Mistake(
                "only the means are compared; the covariance term Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) "
                "is missing.",
                means_only,
            ),
            _Mistake("the product Σ₁Σ₂ is not square-rooted in the trace term.", no_root),
            _Mistake(
                "it uses per-dimension variances only: the covariances between features "
                "are left out.",
                diagonal,
            ),
            _Mistake("the distance between the means is not squared.", no_square),
        ],
        rtol=1e-3,
        atol=1e-6,
    )


def check_polynomial_mmd2(function: Callable) -> None:
    """``function(x, y)``: features ``(m, d)`` and ``(n, d)`` -> a float, the unbiased MMD²
    with the kernel ``k(a, b) = (a·b / d + 1)³`` (KID on one subset)."""
    rng = _rng()
    sizes = ((40, 30, 5, 0.5), (25, 25, 3, 0.0))
    cases = [(rng.normal(size=(m, d)), rng.normal(size=(n, d)) + shift) for m, n, d, shift in sizes]

    def kernel(a, b, degree=3, scale=True):
        return (a @ b.T / (a.shape[1] if scale else 1) + 1) ** degree

    def biased(x, y):
        return kernel(x, x).mean() + kernel(y, y).mean() - 2 * kernel(x, y).mean()

    def variant(x, y, **kw):
        m, n = len(x), len(y)
        kxx, kyy = kernel(x, x, **kw), kernel(y, y, **kw)
        within = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        within += (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        return within - 2 * kernel(x, y, **kw).mean()

    _judge(
        "polynomial_mmd2",
        function,
        cases,
        distances._polynomial_mmd2,
        [
            _Mistake(
                "it is the biased estimate: the within-set sums include each point paired "
                "with itself (the diagonal).",
                biased,
            ),
            _Mistake(
                "the kernel is quadratic; KID's is cubic.", lambda x, y: variant(x, y, degree=2)
            ),
            _Mistake(
                "the dot product is not divided by the dimension d.",
                lambda x, y: variant(x, y, scale=False),
            ),
            _Mistake(
                "the cross term is added; it is subtracted, twice.",
                lambda x, y: variant(x, y) + 4 * kernel(x, y).mean(),
            ),
        ],
        rtol=1e-3,
        atol=1e-6,
    )
