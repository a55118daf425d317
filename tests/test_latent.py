import numpy as np
import pytest

from aegan_tf.latent import interpolate


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
