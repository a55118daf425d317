import numpy as np
import pytest

from aegan_tf.latent import PrincipalComponents, interpolate


def test_linear_path_hits_both_ends_and_the_midpoint():
    path = interpolate(np.array([0.0, 2.0]), np.array([4.0, 0.0]), steps=5)
    assert path.shape == (5, 2) and path.dtype == np.float32
    np.testing.assert_allclose(path[[0, 2, 4]], [[0, 2], [2, 1], [4, 0]])


def test_slerp_keeps_norms_that_linear_shrinks():
    a, b = np.array([3.0, 0.0]), np.array([0.0, 3.0])
    slerp = interpolate(a, b, steps=3, method="slerp")
    np.testing.assert_allclose(slerp[[0, -1]], [a, b], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(slerp, axis=1), 3.0, rtol=1e-6)
    assert np.linalg.norm(interpolate(a, b, steps=3)[1]) < 2.2


def test_slerp_between_parallel_codes_is_finite():
    path = interpolate(np.array([1.0, 1.0]), np.array([2.0, 2.0]), steps=4, method="slerp")
    np.testing.assert_allclose(path[-1], [2.0, 2.0], rtol=1e-6)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.zeros(2), np.zeros(3)), {}, "same length"),
        ((np.zeros(2), np.ones(2)), {"steps": 1}, "steps must be >= 2"),
        ((np.ones(2), np.ones(2)), {"method": "cubic"}, "Unknown method 'cubic'"),
        ((np.zeros(2), np.ones(2)), {"method": "slerp"}, "non-zero"),
    ],
)
def test_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        interpolate(*args, **kwargs)


def test_principal_components_reconstruct_best_among_linear_codes_of_rank_k():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(300, 3)) @ rng.normal(size=(3, 12))).reshape(300, 3, 4, 1)
    x += 0.01 * rng.normal(size=x.shape)  # rank 3 plus a little noise
    pca = PrincipalComponents.fit(x, 3)
    assert pca.encode(x).shape == (300, 3) and pca.decode(pca.encode(x)).shape == x.shape
    np.testing.assert_allclose(pca.axes @ pca.axes.T, np.eye(3), atol=1e-6)
    error = np.mean((pca.decode(pca.encode(x)) - x) ** 2)
    assert error < 1e-3  # the noise alone
    random_axes, _ = np.linalg.qr(rng.normal(size=(12, 3)))  # another rank-3 linear code
    flat = x.reshape(300, -1) - pca.mean
    other = np.mean((flat @ random_axes @ random_axes.T - flat) ** 2)
    assert error < other
    two = PrincipalComponents.fit(x, 2)
    assert np.mean((two.decode(two.encode(x)) - x) ** 2) > error  # fewer axes, more error


def test_principal_components_name_bad_arguments():
    x = np.zeros((10, 4), np.float32)
    with pytest.raises(ValueError, match="at most min"):
        PrincipalComponents.fit(x, 5)
    pca = PrincipalComponents.fit(np.random.default_rng(0).normal(size=(10, 4)), 2)
    with pytest.raises(ValueError, match=r"shape \(N, \*\(4,\)\)"):
        pca.encode(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"codes must have shape \(N, 2\)"):
        pca.decode(np.zeros((3, 3)))
