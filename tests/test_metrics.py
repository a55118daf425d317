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
    result = mode_coverage(collapsed, centers, std=0.05)
    assert result.modes_covered == 2 and result.covered.tolist() == [True, True] + [False] * 6
    far = np.zeros((100, 2))  # the centre of the ring is far from every mode
    assert mode_coverage(far, centers, std=0.05).high_quality == 0.0


def test_bad_arguments():
    _, centers = ring_of_gaussians(10)
    with pytest.raises(ValueError, match="must share D"):
        mode_coverage(np.zeros((5, 3)), centers, std=0.05)
    with pytest.raises(ValueError, match="std must be > 0, got 0"):
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


# --- FID, KID, precision/recall, classifier metrics ----------------------------------------

from aegan_tf import data  # noqa: E402
from aegan_tf.metrics import (  # noqa: E402
    FeatureNetworkUnavailableError,
    asked_class_accuracy,
    class_report,
    extract_features,
    fid,
    frechet_distance,
    intra_class_kid,
    kid,
    model_card,
    precision_recall,
)
from aegan_tf.metrics import train_feature_network as trainer  # noqa: E402


@pytest.fixture(scope="module")
def test_digits():
    images, labels = data.load("mnist", "test", value_range=(-1.0, 1.0), source="offline")
    return images, labels


@pytest.fixture(scope="module")
def test_features(test_digits):
    return extract_features(test_digits[0])


def test_shipped_classifier_loads_offline_and_matches_its_card(test_digits, monkeypatch):
    monkeypatch.setenv("AEGAN_OFFLINE", "1")
    images, labels = test_digits
    from aegan_tf.metrics import class_probabilities

    accuracy = float((class_probabilities(images).argmax(axis=1) == labels).mean())
    card = model_card()
    assert accuracy == pytest.approx(card["held_out_accuracy"], abs=1e-3)
    assert accuracy > 0.95
    from aegan_tf.metrics.features import WEIGHTS_PATH

    assert WEIGHTS_PATH.stat().st_size < 1_000_000


def test_features_have_the_documented_shape(test_features):
    assert test_features.shape == (1000, 64) and np.isfinite(test_features).all()


def test_fid_of_a_set_with_itself_is_zero_and_fid_is_symmetric(test_features):
    assert fid(test_features, test_features) == pytest.approx(0.0, abs=1e-6)
    a, b = test_features[:500], test_features[500:]
    assert fid(a, b) == pytest.approx(fid(b, a), rel=1e-6)
    assert fid(a, b) > 0


def test_frechet_distance_matches_the_closed_form():
    # diagonal covariances: ||mu1 - mu2||^2 + sum (sqrt(s1) - sqrt(s2))^2
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1.0])
    expected = 1 + 0 + 4 + (1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 1) ** 2
    assert frechet_distance(mu1, np.diag(s1), mu2, np.diag(s2)) == pytest.approx(expected)
    # full covariances: against scipy's general matrix square root
    from scipy.linalg import sqrtm

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    c1, c2 = a @ a.T + 0.1 * np.eye(5), b @ b.T + 0.1 * np.eye(5)
    reference = np.trace(c1 + c2 - 2 * np.real(sqrtm(c1 @ c2)))
    assert frechet_distance(np.zeros(5), c1, np.zeros(5), c2) == pytest.approx(reference, rel=1e-6)


def test_fid_between_gaussian_feature_sets_matches_the_closed_form():
    rng = np.random.default_rng(1)
    shift = np.array([3.0, 0.0, 4.0, 0.0])
    x = rng.normal(size=(20000, 4))
    y = rng.normal(size=(20000, 4)) * 2.0 + shift
    # ||mu||^2 + sum (1 - 2)^2 = 25 + 4
    assert fid(x, y) == pytest.approx(29.0, rel=0.02)


def test_fid_survives_near_singular_covariances():
    rng = np.random.default_rng(2)
    few = rng.normal(size=(10, 64))  # fewer samples than dimensions: rank-9 covariance
    duplicated = np.repeat(rng.normal(size=(5, 64)), 4, axis=0)
    value = fid(few, duplicated)
    assert np.isfinite(value) and value >= 0


def test_kid_is_zero_for_one_distribution_and_positive_for_a_shift():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(2000, 16)), rng.normal(size=(2000, 16))
    mean, std = kid(x, y, subsets=10, subset_size=500)
    assert abs(mean) < 3 * std + 1e-3
    shifted_mean, shifted_std = kid(x, y + 0.5, subsets=10, subset_size=500)
    assert shifted_mean > 10 * max(shifted_std, 1e-6) and shifted_mean > 0.01
    assert kid(y + 0.5, x, subsets=10, subset_size=500)[0] == pytest.approx(shifted_mean, rel=0.2)


def test_precision_and_recall(test_features, test_digits):
    assert precision_recall(test_features, test_features) == (1.0, 1.0)
    labels = test_digits[1]
    half = test_features[labels < 5]  # a generator that never makes 5-9
    precision, recall = precision_recall(test_features, half)
    assert precision > 0.9 and recall < 0.75


def test_class_report_of_real_and_class_dropping_sets(test_digits):
    images, labels = test_digits
    real = class_report(images)
    assert real.classes_covered == 10 and real.classifier_score > 8.0
    dropped = class_report(images[labels < 5])
    assert dropped.classes_covered == 5 and dropped.classifier_score < 5.5
    np.testing.assert_allclose(real.shares.sum(), 1.0)


def test_asked_class_accuracy_and_intra_class_kid_of_right_and_wrong_labels(test_digits):
    images, labels = test_digits
    right = asked_class_accuracy(images, labels)  # real digits "asked for" their own class
    assert right.shape == (10,) and right.min() > 0.85
    wrong = asked_class_accuracy(images, (labels + 1) % 10)  # every label off by one
    assert wrong.max() < 0.1
    assert np.isnan(asked_class_accuracy(images[labels < 5], labels[labels < 5])[5:]).all()
    train, train_labels = data.load(
        "mnist", "train", value_range=(-1.0, 1.0), source="offline", limit=2000
    )
    same = intra_class_kid(images, labels, train, train_labels, subset_size=100)
    off = intra_class_kid(images, (labels + 1) % 10, train, train_labels, subset_size=100)
    assert same.shape == (10,) and np.all(np.abs(same) < 0.2 * off)
    with pytest.raises(ValueError, match=r"asked must be 1000 whole-number classes.*\(3,\)"):
        asked_class_accuracy(images, labels[:3])
    with pytest.raises(ValueError, match="train_labels must be digits 0 to 9, got 0 to 10"):
        intra_class_kid(images, labels, train, np.where(train_labels == 9, 10, train_labels))


def test_bad_inputs_are_named(test_digits):
    images = test_digits[0]
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\), got shape \(4, 32, 32, 1\)"):
        fid(images[:4], np.zeros((4, 32, 32, 1), np.float32))
    with pytest.raises(ValueError, match="at least 2"):
        fid(images[:10], images[:1])
    with pytest.raises(ValueError, match=r"must lie in \[-1.0, 1.0\], got values in \[0, 255\]"):
        fid(images[:10], np.full((10, 28, 28, 1), 255.0, np.float32) * (images[:10] > 0))
    with pytest.raises(ValueError, match="same feature size"):
        kid(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="images \\(N, 28, 28, 1\\) or features"):
        precision_recall(np.zeros(5), np.zeros(5))


def test_inception_refuses_offline_with_a_clear_message(monkeypatch, test_digits):
    monkeypatch.setenv("AEGAN_OFFLINE", "1")
    with pytest.raises(FeatureNetworkUnavailableError, match="network='mnist'"):
        extract_features(test_digits[0][:2], network="inception")


def test_training_script_writes_weights_and_card(tmp_path):
    card = trainer.train(tmp_path, epochs=1)
    assert (tmp_path / "mnist_features.weights.h5").exists()
    assert 0.0 <= card["held_out_accuracy"] <= 1.0 and card["epochs"] == 1


def test_sample_report_tells_real_digits_from_noise_and_copies(test_digits):
    from aegan_tf import data, metrics

    test_digits = test_digits[0]
    train, _ = data.load("mnist", "train", value_range=(-1.0, 1.0), limit=1000)
    noise = np.random.default_rng(0).uniform(-1, 1, (300, 28, 28, 1)).astype(np.float32)
    real = metrics.sample_report(test_digits[:300], train, nearest_samples=100)
    fake = metrics.sample_report(noise, train, nearest_samples=100)
    copies = metrics.sample_report(train[:300], train, nearest_samples=100)
    assert set(real) == {"FID", "KID x 1000", "precision", "recall", "classes",
                         "classifier score", "nearest train image"}  # fmt: skip
    assert real["FID"] < 10 < 100 < fake["FID"] and real["classes"] == 10
    assert copies["nearest train image"] < 1e-3 < real["nearest train image"]
    in_unit_range = metrics.sample_report(
        (test_digits[:300] + 1) / 2, (train + 1) / 2, value_range=(0.0, 1.0), nearest_samples=100
    )
    assert in_unit_range["nearest train image"] == pytest.approx(real["nearest train image"])
    # precision and recall against a reference the samples' size: the last 300 training digits
    equal = metrics.sample_report(test_digits[:300], train, nearest_samples=100, pr_reference=300)
    from aegan_tf.metrics import extract_features, precision_recall

    expected = precision_recall(extract_features(train[-300:]), extract_features(test_digits[:300]))
    assert (equal["precision"], equal["recall"]) == pytest.approx(expected)
    assert equal["FID"] == pytest.approx(real["FID"])  # the rest unchanged
    with pytest.raises(ValueError, match="at most the 1000 training images, got 1001"):
        metrics.sample_report(test_digits[:300], train, nearest_samples=100, pr_reference=1001)


def test_linear_probe_reads_separable_labels_and_not_noise():
    from aegan_tf.metrics import linear_probe

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 800)
    centres = 5 * rng.standard_normal((4, 6))
    codes = centres[labels] + rng.standard_normal((800, 6))
    assert linear_probe(codes[:600], labels[:600], codes[600:], labels[600:]) > 0.97
    noise = rng.standard_normal((800, 6))
    assert linear_probe(noise[:600], labels[:600], noise[600:], labels[600:]) < 0.4  # chance 0.25
    with pytest.raises(ValueError, match=r"train_labels must be integer labels of shape \(600,\)"):
        linear_probe(codes[:600], labels[:500], codes[600:], labels[600:])
    with pytest.raises(ValueError, match="same size, got 6 and 5"):
        linear_probe(codes[:600], labels[:600], codes[600:, :5], labels[600:])
    with pytest.raises(ValueError, match="test_codes contain NaN"):
        linear_probe(codes[:600], labels[:600], np.full((200, 6), np.nan), labels[600:])


def test_knn_accuracy_finds_curved_clusters_that_no_plane_separates():
    from aegan_tf.metrics import knn_accuracy, linear_probe

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 600)
    angle = rng.uniform(0, 2 * np.pi, 600)
    radius = np.where(labels == 0, 1.0, 3.0) + 0.1 * rng.standard_normal(600)  # two rings
    codes = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    per_class = knn_accuracy(codes[:400], labels[:400], codes[400:], labels[400:], k=5)
    assert per_class.shape == (2,) and per_class.min() > 0.97
    assert linear_probe(codes[:400], labels[:400], codes[400:], labels[400:]) < 0.75
    noise = rng.standard_normal((600, 2))
    assert knn_accuracy(noise[:400], labels[:400], noise[400:], labels[400:]).mean() < 0.65
    with pytest.raises(ValueError, match=r"k must be an integer from 1 to 400 \(training codes\)"):
        knn_accuracy(codes[:400], labels[:400], codes[400:], labels[400:], k=0)
    with pytest.raises(ValueError, match="same size, got 2 and 1"):
        knn_accuracy(codes[:400], labels[:400], codes[400:, :1], labels[400:])


def test_nearest_neighbour_accuracy_is_the_share_of_test_codes_voted_right():
    from aegan_tf.metrics import nearest_neighbour_accuracy

    train = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    test = np.array([[1.0, 0.0], [9.0, 1.0], [0.0, 8.0], [6.0, 0.5]])
    # nearest training codes: 0, 1, 2, 1 (labels 0, 1, 2, 1), against labels 0, 1, 0, 2
    got = nearest_neighbour_accuracy(train, np.array([0, 1, 2]), test, np.array([0, 1, 0, 2]))
    assert got == 0.5
    with pytest.raises(ValueError, match="same size, got 2 and 1"):
        nearest_neighbour_accuracy(train, np.array([0, 1, 2]), test[:, :1], np.array([0, 1, 0, 2]))


def test_sharpness_drops_when_images_are_blurred_and_checks_the_range():
    from aegan_tf.metrics import sharpness

    rng = np.random.default_rng(0)
    images = (rng.random((4, 28, 28, 1)) > 0.7).astype(np.float32)  # hard edges everywhere
    blurred = images.copy()
    for axis in (1, 2):  # a 3-tap box blur along each axis
        blurred = (np.roll(blurred, 1, axis) + blurred + np.roll(blurred, -1, axis)) / 3
    assert sharpness(blurred) < 0.3 * sharpness(images)
    assert sharpness(np.full((2, 28, 28, 1), 0.5, np.float32)) == 0.0
    np.testing.assert_allclose(sharpness(2 * images - 1, (-1.0, 1.0)), sharpness(images))
    with pytest.raises(ValueError, match=r"must lie in \[0.0, 1.0\]"):
        sharpness(2 * images - 1)
