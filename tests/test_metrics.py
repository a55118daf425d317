import numpy as np
import pytest

from aegan_tf.data import ring_of_gaussians
from aegan_tf.metrics import mode_coverage, nearest_neighbours


def test_real_ring_samples_cover_every_mode():
    points, centers = ring_of_gaussians(4000, modes=8, std=0.05, seed=1)
    result = mode_coverage(points, centers, std=0.05)
    assert result.modes_covered == 8 and result.high_quality > 0.98
    assert result.counts.sum() == pytest.approx(4000 * result.high_quality)


def test_a_collapsed_generator_covers_few_modes():
    points, centers = ring_of_gaussians(2000, std=0.05)
    collapsed = np.concatenate([points[:10], np.repeat(centers[:2], 995, axis=0)])
    assert mode_coverage(collapsed, centers, std=0.05).modes_covered == 2
    far = np.zeros((100, 2))  # the centre of the ring is far from every mode
    assert mode_coverage(far, centers, std=0.05).high_quality == 0.0


def test_bad_arguments():
    _, centers = ring_of_gaussians(10)
    with pytest.raises(ValueError, match="must share D"):
        mode_coverage(np.zeros((5, 3)), centers, std=0.05)
    with pytest.raises(ValueError, match="std > 0"):
        mode_coverage(np.zeros((5, 2)), centers, std=0.0)
    with pytest.raises(ValueError, match="empty"):
        mode_coverage(np.zeros((0, 2)), centers, std=0.1)


def test_nearest_neighbours_finds_copies_and_true_distances():
    rng = np.random.default_rng(0)
    train = rng.random((50, 4, 4, 1)).astype(np.float32)
    copies = train[[7, 3, 41]]
    distances, indices = nearest_neighbours(copies, train, batch_size=2)
    assert indices.tolist() == [7, 3, 41] and np.allclose(distances, 0.0, atol=1e-6)
    queries = rng.random((20, 4, 4, 1)).astype(np.float32)
    distances, indices = nearest_neighbours(queries, train)
    brute = np.linalg.norm(queries.reshape(20, 1, -1) - train.reshape(1, 50, -1), axis=-1)
    np.testing.assert_array_equal(indices, brute.argmin(axis=1))
    np.testing.assert_allclose(distances, brute.min(axis=1), rtol=1e-6)


def test_nearest_neighbours_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same example shape"):
        nearest_neighbours(np.zeros((2, 4, 4, 1), np.float32), np.zeros((3, 5, 5, 1), np.float32))
