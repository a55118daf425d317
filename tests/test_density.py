import numpy as np
import pytest

from aegan_tf.density import GaussianMixture, fit_gaussian_mixture


def _two_clusters(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal([-4.0, 0.0], [0.5, 1.0], size=(3 * n // 4, 2))
    b = rng.normal([3.0, 2.0], [1.0, 0.3], size=(n // 4, 2))
    return np.concatenate([a, b])


def test_one_component_is_the_sample_mean_and_covariance():
    x = np.random.default_rng(1).normal(size=(500, 3)) @ np.array(
        [[1.0, 0.5, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.3]]
    )
    mixture = fit_gaussian_mixture(x, 1)
    np.testing.assert_allclose(mixture.weights, [1.0])
    np.testing.assert_allclose(mixture.means[0], x.mean(axis=0), atol=1e-10)
    np.testing.assert_allclose(
        mixture.covariances[0], np.cov(x, rowvar=False, bias=True), atol=1e-5
    )


def test_em_recovers_two_clusters_and_beats_one_gaussian():
    x = _two_clusters()
    mixture = fit_gaussian_mixture(x, 2, seed=0)
    order = np.argsort(mixture.means[:, 0])
    np.testing.assert_allclose(mixture.weights[order], [0.75, 0.25], atol=0.02)
    np.testing.assert_allclose(mixture.means[order], [[-4.0, 0.0], [3.0, 2.0]], atol=0.1)
    np.testing.assert_allclose(
        np.sqrt(np.diagonal(mixture.covariances[order], axis1=1, axis2=2)),
        [[0.5, 1.0], [1.0, 0.3]],
        atol=0.07,
    )
    single = fit_gaussian_mixture(x, 1)
    assert mixture.log_density(x).mean() > single.log_density(x).mean() + 0.5


def test_log_density_is_the_gaussian_formula_and_samples_follow_the_mixture():
    mixture = GaussianMixture(
        np.array([0.3, 0.7]),
        np.array([[0.0, 0.0], [5.0, 5.0]]),
        np.array([np.eye(2), 4 * np.eye(2)]),
    )
    point = np.array([[1.0, 2.0]])
    by_hand = 0.3 * np.exp(-0.5 * 5.0) / (2 * np.pi) + 0.7 * np.exp(-0.5 * (16 + 9) / 4) / (
        2 * np.pi * 4
    )
    np.testing.assert_allclose(mixture.log_density(point), [np.log(by_hand)], rtol=1e-10)
    points, components = mixture.sample(20_000, seed=3)
    assert points.shape == (20_000, 2) and points.dtype == np.float32
    assert abs((components == 1).mean() - 0.7) < 0.02
    np.testing.assert_allclose(points[components == 1].std(axis=0), [2.0, 2.0], atol=0.05)
    again, _ = mixture.sample(20_000, seed=3)
    np.testing.assert_array_equal(points, again)


def test_a_covariance_that_float32_left_not_positive_definite_still_samples():
    rng = np.random.default_rng(0)
    line = rng.normal(0.0, 30.0, size=32)  # a component on a line: rank 1 plus the ridge
    fitted = np.stack([np.eye(32), np.outer(line, line) + 1e-6 * np.eye(32)])
    stored = fitted.astype(np.float32).astype(np.float64)  # as a model stores it
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(stored)  # rounding moved the smallest eigenvalues below zero
    mixture = GaussianMixture(np.array([0.5, 0.5]), np.zeros((2, 32)), stored)
    points, components = mixture.sample(4000, seed=1)
    assert np.isfinite(points).all() and np.isfinite(mixture.log_density(points)).all()
    np.testing.assert_allclose(points[components == 0].std(axis=0).mean(), 1.0, atol=0.05)
    along = points[components == 1] @ line / np.linalg.norm(line)  # the line's direction
    np.testing.assert_allclose(along.std(), np.linalg.norm(line), rtol=0.1)
    broken = GaussianMixture(np.array([1.0]), np.zeros((1, 2)), np.diag([1.0, -1.0])[None])
    with pytest.raises(ValueError, match="covariance 0 is not positive definite"):
        broken.sample(3)


def test_clear_errors():
    with pytest.raises(ValueError, match=r"points of shape \(N, d\), got shape \(10,\)"):
        fit_gaussian_mixture(np.zeros(10))
    with pytest.raises(ValueError, match="at least 2 points per component: 5 points for 3"):
        fit_gaussian_mixture(np.zeros((5, 2)), 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        fit_gaussian_mixture(np.full((10, 2), np.nan))
    with pytest.raises(ValueError, match="n_components"):
        fit_gaussian_mixture(np.zeros((10, 2)), 0)
