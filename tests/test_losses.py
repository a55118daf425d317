import math

import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import losses
from aegan_tf.models import GAN_LOSSES


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


# --- adversarial losses ---------------------------------------------------------------------

LOG2 = math.log(2.0)
ZEROS = tf.zeros((8, 1))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_discriminator_losses_are_2_log_2_when_every_logit_is_0():
    assert float(losses.minimax_discriminator_loss(ZEROS, ZEROS)) == pytest.approx(2 * LOG2)
    # the generator sees D = 1/2: log(1/2) for the minimax loss, -log(1/2) for the other
    assert float(losses.minimax_generator_loss(ZEROS)) == pytest.approx(-LOG2)
    assert float(losses.nonsaturating_generator_loss(ZEROS)) == pytest.approx(LOG2)


def test_gan_losses_match_their_formulas_on_probabilities():
    real = np.array([2.0, -1.0, 0.5], np.float32)
    fake = np.array([-3.0, 0.0, 1.5], np.float32)
    d_real, d_fake = _sigmoid(real), _sigmoid(fake)
    expected_d = -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))
    np.testing.assert_allclose(losses.minimax_discriminator_loss(real, fake), expected_d, rtol=1e-5)
    np.testing.assert_allclose(
        losses.minimax_generator_loss(fake), np.mean(np.log(1 - d_fake)), rtol=1e-5
    )
    np.testing.assert_allclose(
        losses.nonsaturating_generator_loss(fake), -np.mean(np.log(d_fake)), rtol=1e-5
    )


def test_losses_stay_finite_at_extreme_logits():
    extreme = tf.constant([[-200.0], [200.0]])
    for value in (
        losses.minimax_discriminator_loss(extreme, extreme),
        losses.minimax_generator_loss(extreme),
        losses.nonsaturating_generator_loss(extreme),
    ):
        assert np.isfinite(float(value))
    assert float(losses.nonsaturating_generator_loss(tf.constant([-200.0]))) == pytest.approx(200.0)


def test_minimax_generator_gradient_vanishes_where_nonsaturating_does_not():
    fake = tf.constant([-8.0])  # D(G(z)) = 0.0003: the discriminator rejects the fake
    grads = {}
    for name, loss in [("minimax", losses.minimax_generator_loss),
                       ("nonsaturating", losses.nonsaturating_generator_loss)]:  # fmt: skip
        with tf.GradientTape() as tape:
            tape.watch(fake)
            value = loss(fake)
        grads[name] = float(tape.gradient(value, fake)[0])
    assert abs(grads["minimax"]) < 1e-3 and abs(grads["nonsaturating"]) > 0.99


def test_least_squares_hinge_and_wasserstein_by_hand():
    real = tf.constant([1.0, 3.0])
    fake = tf.constant([-2.0, 0.5])
    # LSGAN: 0.5 * mean([0, 4]) + 0.5 * mean([4, 0.25])
    assert float(losses.least_squares_discriminator_loss(real, fake)) == pytest.approx(1.0 + 1.0625)
    assert float(losses.least_squares_generator_loss(fake)) == pytest.approx(0.5 * (9 + 0.25) / 2)
    # hinge: mean(relu(1 - [1, 3])) + mean(relu(1 + [-2, 0.5])) = 0 + 0.75
    assert float(losses.hinge_discriminator_loss(real, fake)) == pytest.approx(0.75)
    assert GAN_LOSSES["hinge"][1] is losses.wasserstein_generator_loss  # -E[D(G(z))], once
    assert float(losses.wasserstein_critic_loss(real, fake)) == pytest.approx(-0.75 - 2.0)
    assert float(losses.wasserstein_generator_loss(fake)) == pytest.approx(0.75)


@pytest.mark.parametrize(
    "loss",
    [losses.minimax_discriminator_loss, losses.least_squares_discriminator_loss,
     losses.hinge_discriminator_loss, losses.wasserstein_critic_loss],
)  # fmt: skip
def test_two_input_losses_reject_bad_logits(loss):
    with pytest.raises(
        ValueError, match=r"real_\w+ must have shape \(N,\) or \(N, 1\), got \(4, 2\)"
    ):
        loss(tf.zeros((4, 2)), tf.zeros((4, 1)))
    with pytest.raises(TypeError, match=r"fake_\w+ must be floating point logits, got dtype int32"):
        loss(tf.zeros((4, 1)), tf.zeros((4, 1), tf.int32))


def _linear_critic(weights):
    w = tf.constant(weights, tf.float32)
    return lambda x, training=False: tf.reduce_sum(tf.reshape(x, [tf.shape(x)[0], -1]) * w, axis=1)


def test_gradient_penalty_of_a_unit_norm_linear_critic_is_zero():
    rng = np.random.default_rng(0)
    w = rng.normal(size=12)
    w /= np.linalg.norm(w)
    real = rng.normal(size=(16, 2, 2, 3)).astype(np.float32)
    fake = rng.normal(size=(16, 2, 2, 3)).astype(np.float32)
    assert float(losses.gradient_penalty(_linear_critic(w), real, fake)) == pytest.approx(
        0, abs=1e-6
    )
    # scaled to norm 3, the penalty is (3 - 1)^2 = 4 wherever it is evaluated
    assert float(losses.gradient_penalty(_linear_critic(3 * w), real, fake)) == pytest.approx(
        4.0, rel=1e-5
    )


def test_gradient_penalty_draws_epsilon_uniformly_per_sample():
    # critic D(x) = x^2 / 2 on scalars: grad = x_hat = eps * 1 + (1 - eps) * 0 = eps
    critic = lambda x, training=False: 0.5 * tf.square(x[:, 0])  # noqa: E731
    real, fake = tf.ones((20000, 1)), tf.zeros((20000, 1))
    # E[(eps - 1)^2] for eps ~ U[0, 1] is 1/3; a single eps for the batch would vary widely
    assert float(losses.gradient_penalty(critic, real, fake, seed=1)) == pytest.approx(
        1 / 3, abs=0.01
    )


def test_gradient_penalty_has_a_finite_gradient_where_the_critic_is_flat():
    kernel = tf.Variable(tf.zeros((4, 1)))
    critic = lambda x, training=False: tf.matmul(x, kernel)  # noqa: E731, input gradient = 0
    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(critic, tf.ones((8, 4)), tf.zeros((8, 4)))
    grad = tape.gradient(penalty, kernel)
    assert float(penalty) == pytest.approx(1.0, abs=1e-5) and np.isfinite(grad.numpy()).all()


def test_r1_penalty_by_hand_and_shape_errors():
    w = np.array([3.0, 4.0])  # ||grad D|| = 5: R1 = 0.5 * 25
    real = tf.ones((6, 2))
    assert float(losses.r1_penalty(_linear_critic(w), real)) == pytest.approx(12.5)
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(_linear_critic(w), tf.ones((6, 2)), tf.ones((5, 2)))


def _two_input_linear_critic(wx, wz):
    wx, wz = tf.constant(wx, tf.float32), tf.constant(wz, tf.float32)
    return lambda xz, training=False: (
        tf.reduce_sum(tf.reshape(xz[0], [tf.shape(xz[0])[0], -1]) * wx, axis=1)
        + tf.reduce_sum(xz[1] * wz, axis=1)
    )


def test_penalties_take_a_discriminator_of_several_inputs():
    # D(x, z) = wx . x + wz . z: its input gradient is (wx, wz) everywhere, of norm sqrt(9+16)=5
    critic = _two_input_linear_critic(np.full(4, 1.5), [2.0, 4.0])  # 4*2.25 + 4 + 16 = 29
    real = (tf.ones((6, 2, 2, 1)), tf.ones((6, 2)))
    fake = (tf.zeros((6, 2, 2, 1)), tf.zeros((6, 2)))
    norm = np.sqrt(29.0)
    assert float(losses.gradient_penalty(critic, real, fake)) == pytest.approx((norm - 1) ** 2)
    assert float(losses.r1_penalty(critic, real)) == pytest.approx(0.5 * 29.0)
    unit = _two_input_linear_critic(np.full(4, 0.5), [0.0, 0.0])  # norm 1: no penalty
    assert float(losses.gradient_penalty(unit, real, fake)) == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(critic, real, (fake[0], tf.zeros((6, 3))))
