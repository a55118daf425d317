"""Images in, ``tf.data`` out.

``load("mnist")`` uses ``keras.datasets`` when it can download (Colab, a laptop online) and
otherwise falls back, saying so in one printed line, to the 5,000 real MNIST digits that the
package ships (500 per class, in ``aegan_tf/offline_mnist/``, with their source and license).
``AEGAN_OFFLINE=1`` forces that offline source, so that runs are the same with and without a
network (CI sets it).

Offline split: 400 digits of each class for ``"train"`` and 100 for ``"test"``, chosen by a
fixed permutation, so the split never changes between runs or machines.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import tensorflow as tf

from aegan_tf import config
from aegan_tf._validation import check_examples, check_number, check_positive_int

DATASETS = ("mnist", "fashion_mnist")
SPLITS = ("train", "test")
SOURCES = ("auto", "keras", "offline")
VALUE_RANGES = ((0.0, 1.0), (-1.0, 1.0))
"""[0, 1] suits a sigmoid decoder (autoencoders); [-1, 1] a tanh generator (GANs)."""

# make_dataset shuffles every epoch itself; Keras's fit() would warn, for every Dataset it is
# given, that its own shuffle=True does not apply. That is expected here, so the warning is muted.
warnings.filterwarnings(
    "ignore", message=r"`shuffle=True` was passed, but will be ignored", category=UserWarning
)

OFFLINE_MNIST = Path(__file__).parent / "offline_mnist" / "mnist_5k.npz"
"""The offline digits: ``pixels`` (5000, 784) and ``labels`` (5000,), uint8 (see its README)."""
OFFLINE_TEST_PER_CLASS = 100
_SPLIT_SEED = 20140610  # fixed: the offline train/test split must never change
_ANNOUNCED: set[str] = set()
_DOWNLOAD_FAILED: set[str] = set()


class DatasetUnavailableError(RuntimeError):
    """The data set cannot be had here: it needs a download and none is possible."""


def scale_images(pixels: np.ndarray, value_range: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """Map 0–255 pixels to float32 in ``value_range``, (0, 1) or (-1, 1)."""
    value_range = _check_value_range_arg(value_range)
    pixels = np.asarray(pixels)
    if np.issubdtype(pixels.dtype, np.floating) and pixels.size and pixels.max() <= 1.0:
        raise ValueError(
            f"pixels are floats in [{pixels.min():.4g}, {pixels.max():.4g}]: they look scaled "
            "already. scale_images maps 0-255 pixels (uint8, as keras.datasets gives them)."
        )
    if pixels.size and (pixels.min() < 0 or pixels.max() > 255):
        raise ValueError(
            f"pixels must lie in [0, 255], got values in [{pixels.min()}, {pixels.max()}]."
        )
    low, high = value_range
    return (pixels.astype(np.float32) / 255.0 * (high - low) + low).astype(np.float32)


def load(
    name: str = "mnist",
    split: Literal["train", "test"] = "train",
    value_range: tuple[float, float] = (0.0, 1.0),
    limit: int | None = None,
    source: Literal["auto", "keras", "offline"] = "auto",
) -> tuple[np.ndarray, np.ndarray]:
    """Load a data set as ``(images, labels)``.

    Args:
        name: one of :data:`DATASETS`.
        split: ``"train"`` or ``"test"``.
        value_range: ``(0.0, 1.0)`` or ``(-1.0, 1.0)``.
        limit: keep only the first ``limit`` examples of the split (``None``: all).
        source: ``"keras"`` downloads, ``"offline"`` uses installed data, ``"auto"`` tries
            the first and falls back to the second (``AEGAN_OFFLINE=1`` forces ``"offline"``).

    Returns:
        images: float32 ``(N, 28, 28, 1)`` in ``value_range``; labels: int64 ``(N,)`` in 0..9.
    """
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {DATASETS}.")
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r}; choose one of {SPLITS}.")
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}; choose one of {SOURCES}.")
    value_range = _check_value_range_arg(value_range)
    if limit is not None:
        limit = check_positive_int(limit, "limit")

    pixels, labels = _load_pixels(name, split, source)
    if limit is not None:
        pixels, labels = pixels[:limit], labels[:limit]
    images = scale_images(pixels, value_range).reshape(-1, 28, 28, 1)
    return images, labels.astype(np.int64)


PREFETCH = 2  # batches that make_dataset's pipeline prepares ahead of the training step


def make_dataset(
    examples: np.ndarray,
    batch_size: int = 128,
    shuffle: bool = True,
    seed: int = 0,
    labels: np.ndarray | None = None,
    drop_remainder: bool = False,
) -> tf.data.Dataset:
    """A batched, prefetched ``tf.data.Dataset`` of ``examples`` (and ``labels`` if given).

    ``examples`` are float images ``(N, H, W, C)``, or any float batch ``(N, ...)`` such as
    2-D points ``(N, 2)``. Elements are batches ``(B, ...)``, or ``(examples, labels)``
    pairs. With ``shuffle``, the order changes every epoch, repeatably for a given ``seed``.

    The pipeline prefetches :data:`PREFETCH` batches, with tf.data's autotuning off: an
    iterator left in the middle of an epoch (``fit`` stopped by a time limit) is freed later
    by Python's garbage collector, and freeing one whose autotuning thread is asleep waited
    for that thread to wake, up to tens of seconds, in whatever cell ran next (measured with
    TensorFlow 2.20; chapter 9's race lost up to 40 s).
    """
    check_examples(examples)
    batch_size = check_positive_int(batch_size, "batch_size")
    n = int(examples.shape[0])
    if drop_remainder and batch_size > n:
        raise ValueError(
            f"batch_size ({batch_size}) is larger than the number of examples ({n}) "
            "and drop_remainder=True would leave no batch."
        )
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels must have one entry per example ({n}), got {len(labels)}.")
    elements = examples if labels is None else (examples, labels)
    ds = tf.data.Dataset.from_tensor_slices(elements)
    if shuffle:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    return _without_autotuning(
        ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(PREFETCH)
    )


def _without_autotuning(ds: tf.data.Dataset) -> tf.data.Dataset:
    """``ds`` with tf.data's autotuning off (see :func:`make_dataset` for why)."""
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.with_options(options)


def make_semi_supervised_dataset(
    images: np.ndarray,
    labelled_images: np.ndarray,
    labels: np.ndarray,
    batch_size: int = 128,
    labelled_batch_size: int | None = None,
    seed: int = 0,
) -> tf.data.Dataset:
    """Batches ``(images (B, ...), (labelled_images (L, ...), labels (L,)))`` for a
    semi-supervised model (:class:`~aegan_tf.models.SemiSupervisedAAE`).

    An epoch is one pass over ``images`` in shuffled batches of ``batch_size``, as
    :func:`make_dataset` makes them; each batch comes with ``labelled_batch_size`` (default:
    ``batch_size``, at most the number of labelled examples) of the labelled examples, drawn
    in a shuffled order that starts again, reshuffled, whenever they run out. ``labels``:
    whole numbers from 0, one per labelled example.
    """
    check_examples(labelled_images, "labelled_images")
    labels = np.asarray(labels)
    n = len(labelled_images)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise ValueError(
            f"labels must be {n} whole numbers >= 0, one per labelled example; got "
            f"{labels.dtype} of shape {labels.shape}."
        )
    labelled_batch_size = check_positive_int(
        batch_size if labelled_batch_size is None else labelled_batch_size, "labelled_batch_size"
    )
    if labelled_batch_size > n:
        raise ValueError(
            f"labelled_batch_size ({labelled_batch_size}) is larger than the number of "
            f"labelled examples ({n}); give a smaller one."
        )
    unlabelled = make_dataset(images, batch_size, seed=seed)
    labelled = (
        tf.data.Dataset.from_tensor_slices((labelled_images, labels.astype(np.int32)))
        .shuffle(n, seed=seed + 1, reshuffle_each_iteration=True)
        .repeat()
        .batch(labelled_batch_size, drop_remainder=True)
    )
    return _without_autotuning(tf.data.Dataset.zip((unlabelled, labelled)))


def ring_of_gaussians(
    n: int, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D toy data set: ``n`` points from ``modes`` Gaussians evenly spaced on a circle.

    The classic test of mode collapse (Metz et al. 2017, "Unrolled GANs"). Returns
    ``points`` float32 ``(n, 2)`` and ``centers`` float32 ``(modes, 2)``; each point picks a
    mode uniformly at random and adds isotropic noise of standard deviation ``std``.
    """
    n = check_positive_int(n, "n")
    modes = check_positive_int(modes, "modes")
    radius = check_number(radius, "radius", low=0, above=True)
    std = check_number(std, "std", low=0, above=True)
    angles = 2 * np.pi * np.arange(modes) / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (modes, 2)
    rng = np.random.default_rng(seed)
    points = centers[rng.integers(modes, size=n)] + std * rng.standard_normal((n, 2))
    return points.astype(np.float32), centers.astype(np.float32)


def _check_value_range_arg(value_range: tuple[float, float]) -> tuple[float, float]:
    try:
        pair = tuple(float(v) for v in value_range)
    except TypeError:
        pair = None
    if pair not in VALUE_RANGES:
        raise ValueError(f"value_range must be one of {VALUE_RANGES}, got {value_range!r}.")
    return pair


def _load_pixels(name: str, split: str, source: str) -> tuple[np.ndarray, np.ndarray]:
    """Pixels 0–255 as ``(N, 784)`` or ``(N, 28, 28)`` and labels, from the chosen source."""
    if source == "offline":
        return _offline(name, split, reason="source='offline'")
    if source == "auto" and config.is_offline():
        return _offline(name, split, reason=f"{config.OFFLINE_ENV}=1")
    if source == "auto" and name in _DOWNLOAD_FAILED:  # tried once this session: no network
        return _offline(name, split, reason="keras.datasets download failed")
    try:
        return _from_keras(name, split)
    except Exception as err:  # keras raises a bare Exception on a failed download
        if source == "keras":
            raise DatasetUnavailableError(f"keras.datasets could not load {name!r}: {err}") from err
        _DOWNLOAD_FAILED.add(name)
        return _offline(name, split, reason="keras.datasets download failed")


@functools.lru_cache(maxsize=2)
def _keras_arrays(name: str):
    import keras

    return getattr(keras.datasets, name).load_data()


def _from_keras(name: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = _keras_arrays(name)
    return (x_train, y_train) if split == "train" else (x_test, y_test)


def _offline(name: str, split: str, reason: str) -> tuple[np.ndarray, np.ndarray]:
    if name != "mnist":
        raise DatasetUnavailableError(
            f"{name!r} has no offline copy ({reason}): it needs a download through keras.datasets. "
            "Run once with network access (for example in Colab) and unset AEGAN_OFFLINE; "
            "keras then keeps the files in ~/.keras/datasets for later offline runs."
        )
    pixels, labels = _offline_mnist()
    if reason not in _ANNOUNCED:  # once per reason and session, not once per split
        _ANNOUNCED.add(reason)
        print(
            f"aegan_tf.data: offline MNIST ({reason}): the 5,000 real digits shipped with aegan_tf."
        )
    train_idx, test_idx = _offline_split(labels)
    idx = train_idx if split == "train" else test_idx
    return pixels[idx], labels[idx]


@functools.lru_cache(maxsize=1)
def _offline_mnist() -> tuple[np.ndarray, np.ndarray]:
    with np.load(OFFLINE_MNIST) as stored:
        return stored["pixels"], stored["labels"].astype(np.int64)


def _offline_split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stratified, fixed split: per class, ``OFFLINE_TEST_PER_CLASS`` test rows, the rest train."""
    rng = np.random.default_rng(_SPLIT_SEED)
    train, test = [], []
    for c in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == c))
        test.append(rows[:OFFLINE_TEST_PER_CLASS])
        train.append(rows[OFFLINE_TEST_PER_CLASS:])
    # Interleave classes: the stored rows are sorted by class; a prefix (limit=...) must not be.
    train_idx, test_idx = np.concatenate(train), np.concatenate(test)
    return rng.permutation(train_idx), rng.permutation(test_idx)
