"""A Gaussian mixture fitted to codes by expectation-maximisation, in NumPy.

The simplest way to make an autoencoder generate: fit a density to the codes of the
training images and decode samples of it. One component is the fitted-Gaussian baseline;
several components (Dempster, Laird & Rubin 1977; Bishop 2006, section 9.2) follow the
clusters that the digits form in code space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aegan_tf._validation import check_positive_int


@dataclass(frozen=True)
class GaussianMixture:
    """``sum_k weights[k] N(means[k], covariances[k])``.

    Attributes:
        weights: ``(K,)``, non-negative, summing to 1.
        means: ``(K, d)``.
        covariances: ``(K, d, d)``, symmetric positive definite.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray

    @property
    def dim(self) -> int:
        return self.means.shape[1]

    def sample(self, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """``(points (n, d) float32, components (n,))``, the same for the same ``seed``."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        weights = self.weights / self.weights.sum()  # float32 weights may sum to 1 ± 1e-7
        components = rng.choice(len(weights), size=n, p=weights)
        factors = _cholesky(self.covariances)  # (K, d, d)
        noise = rng.standard_normal((n, self.dim))
        points = self.means[components] + np.einsum("nij,nj->ni", factors[components], noise)
        return points.astype(np.float32), components

    def log_density(self, x: np.ndarray) -> np.ndarray:
        """``log p(x)`` for points ``x`` ``(N, d)``, shape ``(N,)``."""
        log_joint = _log_joint(np.asarray(x, np.float64), self)
        return _logsumexp(log_joint)


def _logsumexp(a: np.ndarray) -> np.ndarray:
    top = a.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(a - top).sum(axis=1, keepdims=True)))[:, 0]


def _cholesky(covariances: np.ndarray) -> np.ndarray:
    """The lower Cholesky factors ``(K, d, d)`` of ``covariances`` ``(K, d, d)``.

    A covariance fitted in float64 and stored in float32 (as a model stores it) may come back
    not quite positive definite: rounding moves its smallest eigenvalues, of the size of the
    fit's regularization, below zero. Such a matrix, and only such a one, gets the smallest
    jitter on its diagonal that makes it positive definite (1e-7 of its mean variance, then
    ten times more, up to 1e-2); the others are factored as they are.
    """
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        pass
    factors = []
    for k, covariance in enumerate(covariances):
        scale, jitter = float(np.mean(np.diag(covariance))), 0.0
        while True:
            try:
                factors.append(np.linalg.cholesky(covariance + jitter * np.eye(len(covariance))))
                break
            except np.linalg.LinAlgError:
                jitter = 1e-7 * scale if jitter == 0 else 10 * jitter
                if not 0 < jitter <= 1e-2 * scale:
                    raise ValueError(
                        f"covariance {k} is not positive definite, not even with a jitter of "
                        "1e-2 of its mean variance on its diagonal."
                    ) from None
    return np.stack(factors)


def _log_joint(x: np.ndarray, mixture: GaussianMixture) -> np.ndarray:
    """``log weights[k] + log N(x_n | means[k], covariances[k])``, shape ``(N, K)``."""
    factors = _cholesky(mixture.covariances)
    columns = []
    for weight, mean, factor in zip(mixture.weights, mixture.means, factors, strict=True):
        # the Mahalanobis distance through the Cholesky factor: |L^-1 (x - mean)|^2
        solved = np.linalg.solve(factor, (x - mean).T)
        log_det = 2 * np.log(np.diag(factor)).sum()
        squared = (solved**2).sum(axis=0)
        columns.append(np.log(weight) - 0.5 * (squared + log_det + x.shape[1] * np.log(2 * np.pi)))
    return np.stack(columns, axis=1)


def _kmeans_plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` starting means drawn by k-means++ (Arthur & Vassilvitskii 2007)."""
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        squared = np.min([((x - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(x[rng.choice(len(x), p=squared / squared.sum())])
    return np.stack(centres)


def fit_gaussian_mixture(
    x: np.ndarray,
    n_components: int = 1,
    seed: int = 0,
    max_iterations: int = 200,
    tolerance: float = 1e-5,
    regularization: float = 1e-6,
) -> GaussianMixture:
    """Fit a mixture of ``n_components`` full-covariance Gaussians to ``x`` ``(N, d)`` by EM.

    The means start from k-means++ (seeded by ``seed``), the covariances from the data's.
    EM stops when the mean log-likelihood gains less than ``tolerance`` in an iteration, or
    after ``max_iterations``. ``regularization`` is added to every covariance's diagonal, so
    that a component on few points stays invertible. With one component the result is the
    sample mean and the (biased) sample covariance.
    """
    x = np.asarray(x, np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be points of shape (N, d), got shape {x.shape}.")
    if not np.isfinite(x).all():
        raise ValueError("x holds NaN or infinite values.")
    n_components = check_positive_int(n_components, "n_components")
    if len(x) < 2 * n_components:
        raise ValueError(
            f"need at least 2 points per component: {len(x)} points for {n_components} components."
        )
    max_iterations = check_positive_int(max_iterations, "max_iterations")
    if not regularization > 0:
        raise ValueError(f"regularization must be > 0, got {regularization!r}.")
    d = x.shape[1]
    rng = np.random.default_rng(seed)
    ridge = regularization * np.eye(d)
    data_covariance = np.cov(x, rowvar=False, bias=True).reshape(d, d) + ridge
    mixture = GaussianMixture(
        np.full(n_components, 1 / n_components),
        _kmeans_plus_plus(x, n_components, rng),
        np.repeat(data_covariance[None], n_components, axis=0),
    )
    previous = -np.inf
    for _ in range(max_iterations):
        log_joint = _log_joint(x, mixture)  # E-step: responsibilities
        log_likelihood = _logsumexp(log_joint)
        responsibilities = np.exp(log_joint - log_likelihood[:, None])  # (N, K)
        counts = responsibilities.sum(axis=0) + 1e-12  # M-step
        means = (responsibilities.T @ x) / counts[:, None]
        covariances = np.stack([
            ((responsibilities[:, k, None] * (x - means[k])).T @ (x - means[k])) / counts[k]
            + ridge
            for k in range(n_components)
        ])  # fmt: skip
        mixture = GaussianMixture(counts / counts.sum(), means, covariances)
        current = log_likelihood.mean()
        if current - previous < tolerance:
            break
        previous = current
    return mixture
