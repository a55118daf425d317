import json

import numpy as np
import pytest

from aegan_tf import data
from aegan_tf.book import ring_gan


def test_halfway_points_lie_on_the_ring_between_neighbouring_modes():
    _, centers = data.ring_of_gaussians(10, modes=8, radius=2.0)
    halfway = ring_gan.halfway_points(centers)
    assert np.linalg.norm(halfway, axis=1) == pytest.approx(np.full(8, 2.0), rel=1e-6)
    to_own = np.linalg.norm(halfway - centers, axis=1)
    to_next = np.linalg.norm(halfway - np.roll(centers, -1, axis=0), axis=1)
    assert to_own == pytest.approx(to_next, rel=1e-5)  # entry i: between modes i and i + 1
    assert to_own == pytest.approx(np.full(8, 2 * 2.0 * np.sin(np.pi / 16)), rel=1e-5)


def test_train_repeats_with_its_seed_and_report_measures_every_mode():
    points, centers = data.ring_of_gaussians(512, modes=8, std=0.05, seed=3)
    first, again = (ring_gan.train(points, 1e-3, epochs=2, seed=3) for _ in range(2))
    for a, b in zip(first.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    result = ring_gan.report(first, centers, std=0.05, n=200, seed=4)
    assert len(result.counts) == len(result.covered) == len(result.d_at_modes) == 8
    assert len(result.d_between) == 8 and 0 <= result.good_share <= 1
    assert result.modes_covered == sum(result.covered)
    assert all(0 < d < 1 for d in [*result.d_at_modes, *result.d_between, result.d_fake])
    assert json.loads(json.dumps(ring_gan.as_record(result)))["counts"] == result.counts


def test_train_refuses_a_learning_rate_that_is_not_positive():
    points, _ = data.ring_of_gaussians(64)
    with pytest.raises(ValueError, match="g_learning_rate"):
        ring_gan.train(points, 0.0, epochs=1)


def test_shipped_results_hold_both_rates_with_several_seeds():
    runs = ring_gan.load_results()["runs"]
    for rate in (1e-3, 1e-4):
        seeds = {r["seed"] for r in runs if r["g_learning_rate"] == rate}
        assert len(seeds) >= 3, f"rate {rate}: seeds {sorted(seeds)}"
    for run in runs:
        assert len(run["covered"]) == len(run["d_at_modes"]) == 8 and run["machine"]
