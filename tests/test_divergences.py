import math

import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import divergences, losses

GRID = np.linspace(-12, 12, 48_001)
DX = GRID[1] - GRID[0]


def _normal(mean, std):
    return divergences.gaussian_pdf(GRID, mean, std)


def test_gaussian_pdf_integrates_to_one_and_peaks_at_the_mean():
    p = _normal(1.0, 0.5)
    assert np.sum(p) * DX == pytest.approx(1.0, abs=1e-9)
    assert GRID[p.argmax()] == pytest.approx(1.0, abs=DX)


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1.5, 0.5), (0, 1, 0, 2), (-1, 0.7, 2, 1)])
def test_kl_of_two_gaussians_matches_the_closed_form(m1, s1, m2, s2):
    closed = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    assert divergences.kl_divergence(_normal(m1, s1), _normal(m2, s2), DX) == pytest.approx(
        closed, rel=1e-6
    )


def test_kl_is_infinite_where_q_has_no_mass_and_ignores_zeros_of_p():
    left = (GRID < 0).astype(float) / 12  # uniform on [-12, 0)
    everywhere = np.full_like(GRID, 1 / 24)
    assert divergences.kl_divergence(everywhere, left, DX) == math.inf
    assert divergences.kl_divergence(left, everywhere, DX) == pytest.approx(math.log(2), rel=1e-3)


def test_jsd_is_symmetric_zero_for_equal_and_log_2_without_overlap():
    p, q = _normal(0, 1), _normal(1.5, 0.5)
    jsd = divergences.jensen_shannon_divergence
    assert jsd(p, q, DX) == pytest.approx(jsd(q, p, DX), rel=1e-12)
    assert jsd(p, p, DX) == pytest.approx(0.0, abs=1e-12)
    left, right = (GRID < 0) / 12.0, (GRID >= 0) / 12.0
    assert jsd(left, right, DX) == pytest.approx(math.log(2), rel=1e-4)  # masses 1 and 1.00002
    assert 0 < jsd(p, q, DX) < math.log(2)


def test_value_at_optimum_equals_minus_log_4_plus_two_jsd():
    # Goodfellow et al. (2014), Theorem 1, computed from two different formulas.
    p_data, p_g = _normal(0, 1), _normal(1.5, 0.5)
    v = divergences.value_at_optimum(p_data, p_g, DX)
    assert v == pytest.approx(
        -math.log(4) + 2 * divergences.jensen_shannon_divergence(p_data, p_g, DX)
    )
    assert divergences.value_at_optimum(p_data, p_data, DX) == pytest.approx(-math.log(4))


def test_game_value_of_d_star_is_the_optimum_and_any_other_d_scores_less():
    p_data, p_g = _normal(0, 1), _normal(1.5, 0.5)
    d_star_logits = np.log(p_data) - np.log(p_g)  # logit of p_data / (p_data + p_g)
    optimum = divergences.value_at_optimum(p_data, p_g, DX)
    assert divergences.game_value(p_data, p_g, d_star_logits, DX) == pytest.approx(optimum)
    for shift in (0.1, -0.5, 2.0):  # a worse D: its logits moved
        assert divergences.game_value(p_data, p_g, d_star_logits + shift, DX) < optimum
    assert divergences.game_value(p_data, p_g, np.zeros_like(GRID), DX) == pytest.approx(
        -math.log(4), rel=1e-6
    )  # D = 1/2 everywhere


def test_game_value_names_logits_of_the_wrong_shape_or_not_finite():
    p = _normal(0, 1)
    with pytest.raises(ValueError, match="logit at each grid point"):
        divergences.game_value(p, p, np.zeros(3), DX)
    with pytest.raises(ValueError, match="non-finite"):
        divergences.game_value(p, p, np.full_like(GRID, np.nan), DX)


def test_game_value_estimate_is_minus_the_discriminator_loss():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(1, 2, (500, 1)), rng.normal(-1, 2, (300, 1))
    value, error = divergences.game_value_estimate(real, fake)
    loss = losses.minimax_discriminator_loss(
        tf.constant(real, tf.float32), tf.constant(fake, tf.float32)
    )
    assert value == pytest.approx(-float(loss), rel=1e-5)
    assert 0 < error < 0.2
    # Four times the samples: half the standard error.
    _, error_4x = divergences.game_value_estimate(np.tile(real, (4, 1)), np.tile(fake, (4, 1)))
    assert error_4x == pytest.approx(error / 2, rel=0.01)


def test_game_value_estimate_error_covers_the_truth():
    # A known discriminator, D = sigmoid(l) with l ~ N(+-1, 1): the z-scores of many estimates
    # of V are close to standard normal.
    rng = np.random.default_rng(1)
    big_real, big_fake = rng.normal(1, 1, 2_000_000), rng.normal(-1, 1, 2_000_000)
    truth, _ = divergences.game_value_estimate(big_real, big_fake)
    z = []
    for _ in range(200):
        value, error = divergences.game_value_estimate(
            rng.normal(1, 1, 400), rng.normal(-1, 1, 400)
        )
        z.append((value - truth) / error)
    assert abs(np.mean(z)) < 0.25
    assert 0.8 < np.std(z) < 1.2


@pytest.mark.parametrize(
    "p, q, dx, match",
    [
        (np.ones(3), np.ones(4), 0.1, r"same 1-D grid.*\(3,\) and \(4,\)"),
        (np.ones((2, 3)), np.ones((2, 3)), 0.1, "same 1-D grid"),
        (-np.ones(3), np.ones(3), 0.1, "p must be finite and non-negative"),
        (np.ones(3), np.array([1, np.nan, 1]), 0.1, "q must be finite"),
        (np.ones(3), np.ones(3), 0.0, "dx .* positive, got 0.0"),
    ],
)
def test_divergences_refuse_bad_densities(p, q, dx, match):
    with pytest.raises(ValueError, match=match):
        divergences.jensen_shannon_divergence(p, q, dx)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="std must be positive, got 0"):
        divergences.gaussian_pdf(GRID, 0, 0)
    with pytest.raises(
        ValueError, match=r"real_logits must have shape \(n,\) or \(n, 1\).*\(3, 2\)"
    ):
        divergences.game_value_estimate(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="fake_logits holds non-finite"):
        divergences.game_value_estimate(np.ones(3), np.array([0.0, np.inf]))
