import math

import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import losses


def _images(value, n=2, shape=(4, 4, 1)):
    return np.full((n, *shape), value, np.float32)


def test_mse_by_hand():
    x = _images(0.0)
    x_hat = _images(0.5)
    x_hat[1] = 0.0  # the second example is reconstructed exactly
    np.testing.assert_allclose(losses.mse_reconstruction_loss(x, x_hat), [0.25, 0.0])


def test_mse_is_the_squared_norm_over_the_pixel_count():
    rng = np.random.default_rng(0)
    x, x_hat = rng.random((3, 28, 28, 1), np.float32), rng.random((3, 28, 28, 1), np.float32)
    expected = np.sum((x - x_hat) ** 2, axis=(1, 2, 3)) / 784
    np.testing.assert_allclose(losses.mse_reconstruction_loss(x, x_hat), expected, rtol=1e-5)


def test_bce_by_hand():
    # x = 1, x_hat = 0.5: -log 0.5 = log 2 per pixel. x = 0.25, x_hat = 0.25: the entropy.
    np.testing.assert_allclose(
        losses.bce_reconstruction_loss(_images(1.0), _images(0.5)), [math.log(2)] * 2, rtol=1e-6
    )
    entropy = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    np.testing.assert_allclose(
        losses.bce_reconstruction_loss(_images(0.25), _images(0.25)), [entropy] * 2, rtol=1e-5
    )


def test_bce_is_finite_at_saturated_outputs_and_smallest_at_the_target():
    assert np.isfinite(losses.bce_reconstruction_loss(_images(1.0), _images(0.0))).all()
    x = _images(0.3)
    values = [float(losses.bce_reconstruction_loss(x, _images(p))[0]) for p in (0.1, 0.3, 0.6)]
    assert values[1] < values[0] and values[1] < values[2]


def test_losses_accept_tensors_and_return_one_value_per_example():
    x = tf.zeros((5, 28, 28, 1))
    for loss in (losses.mse_reconstruction_loss, losses.bce_reconstruction_loss):
        assert loss(x, x).shape == (5,)


@pytest.mark.parametrize("loss", [losses.mse_reconstruction_loss, losses.bce_reconstruction_loss])
def test_bad_inputs_are_named(loss):
    with pytest.raises(ValueError, match="same shape"):
        loss(_images(0.0), _images(0.0, shape=(4, 5, 1)))
    with pytest.raises(ValueError, match="x_hat must be a batch of images"):
        loss(_images(0.0), np.zeros((2, 16), np.float32))
    with pytest.raises(TypeError, match="int32"):
        loss(np.zeros((2, 4, 4, 1), np.int32), _images(0.0))
