"""The feature network behind the quality metrics, shipped inside the package.

``mnist`` (the default) is a small convolutional MNIST classifier whose weights live next to
this file (``mnist_features.weights.h5``, with ``mnist_features.json`` recording how it was
trained and its held-out accuracy); it loads with no network access. Its 64-dimensional
penultimate layer gives the features for FID, KID and precision/recall, and its class
probabilities give the classifier-based metrics. ``inception`` uses InceptionV3 with
ImageNet weights, which Keras downloads: the published Inception-FID numbers use it.
Retrain the MNIST network with ``python -m aegan_tf.metrics.train_feature_network``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Literal

import keras
import numpy as np
from keras import layers

from aegan_tf import config
from aegan_tf._validation import check_images, check_positive_int, check_value_range

WEIGHTS_PATH = Path(__file__).with_name("mnist_features.weights.h5")
CARD_PATH = Path(__file__).with_name("mnist_features.json")
NETWORKS = ("mnist", "inception")
FEATURE_DIM = 64


class FeatureNetworkUnavailableError(RuntimeError):
    """The requested feature network cannot be loaded here."""


def build_mnist_classifier() -> keras.Model:
    """The feature network: images ``(N, 28, 28, 1)`` in [0, 1] -> logits ``(N, 10)``.

    Convs ``(28, 28, 32)`` -> pool ``(14, 14, 32)`` -> ``(14, 14, 64)`` -> pool
    ``(7, 7, 64)`` -> ``(7, 7, 128)`` -> global average ``(128,)`` -> dense ``features``
    ``(64,)`` -> logits ``(10,)``. About 100,000 parameters (400 KB of weights).
    """
    images = keras.Input((28, 28, 1), name="images")
    h = layers.Conv2D(32, 3, padding="same", activation="relu")(images)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(64, 3, padding="same", activation="relu")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(128, 3, padding="same", activation="relu")(h)
    h = layers.GlobalAveragePooling2D()(h)
    features = layers.Dense(FEATURE_DIM, activation="relu", name="features")(h)
    logits = layers.Dense(10, name="logits")(layers.Dropout(0.3)(features))
    return keras.Model(images, logits, name="mnist_classifier")


@functools.lru_cache(maxsize=1)
def _mnist_networks() -> tuple[keras.Model, keras.Model]:
    if not WEIGHTS_PATH.exists():
        raise FeatureNetworkUnavailableError(
            f"{WEIGHTS_PATH.name} is missing from the package; reinstall aegan-tf or run "
            "python -m aegan_tf.metrics.train_feature_network."
        )
    classifier = build_mnist_classifier()
    classifier.load_weights(WEIGHTS_PATH)
    features = keras.Model(classifier.input, classifier.get_layer("features").output)
    return classifier, features


@functools.lru_cache(maxsize=1)
def _inception() -> keras.Model:
    if config.is_offline():
        raise FeatureNetworkUnavailableError(
            f"InceptionV3 needs its ImageNet weights downloaded, and {config.OFFLINE_ENV}=1 "
            "forbids it. Use network='mnist' (shipped with the package)."
        )
    try:
        return keras.applications.InceptionV3(include_top=False, pooling="avg")
    except Exception as err:  # keras raises a bare Exception when the download fails
        raise FeatureNetworkUnavailableError(
            "InceptionV3's ImageNet weights could not be downloaded "
            f"({str(err).splitlines()[0][:100]}). Run online (for example in Colab) or use "
            "network='mnist', which is shipped with the package."
        ) from err


def model_card() -> dict:
    """How the shipped MNIST feature network was trained, and its held-out accuracy."""
    return json.loads(CARD_PATH.read_text())


def _to_unit_range(images: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    check_images(images, "images", (28, 28, 1))
    images = np.asarray(images, np.float32)
    check_value_range(images, value_range, "images")
    low, high = value_range
    return (images - low) / (high - low)


def _batched(model, x: np.ndarray, batch_size: int) -> np.ndarray:
    batch_size = check_positive_int(batch_size, "batch_size")
    return np.concatenate(
        [keras.ops.convert_to_numpy(model(x[i : i + batch_size], training=False))
         for i in range(0, len(x), batch_size)]
    )  # fmt: skip


def extract_features(
    images: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    network: Literal["mnist", "inception"] = "mnist",
    batch_size: int = 500,
) -> np.ndarray:
    """Features ``(N, D)`` of MNIST-sized images ``(N, 28, 28, 1)`` in ``value_range``.

    ``mnist``: D = 64, from the shipped classifier. ``inception``: D = 2048, the pool
    features of InceptionV3 on the images resized to 299x299 and repeated to 3 channels
    (needs a download; see the module docstring).
    """
    if network not in NETWORKS:
        raise ValueError(f"Unknown feature network {network!r}; choose one of {NETWORKS}.")
    unit = _to_unit_range(images, value_range)
    if network == "mnist":
        return _batched(_mnist_networks()[1], unit, batch_size).astype(np.float64)
    inception = _inception()

    def resized_features(x, training=False):  # resized batch by batch: 1 GB per 1,000 at once
        resized = keras.ops.image.resize(keras.ops.repeat(x, 3, axis=-1), (299, 299))
        return inception(resized * 2.0 - 1.0, training=training)  # InceptionV3 takes [-1, 1]

    return _batched(resized_features, unit, min(batch_size, 64)).astype(np.float64)


def class_probabilities(
    images: np.ndarray, value_range: tuple[float, float] = (-1.0, 1.0), batch_size: int = 500
) -> np.ndarray:
    """The shipped classifier's ``p(y | x)`` for each image: ``(N, 10)``, rows sum to 1."""
    logits = _batched(_mnist_networks()[0], _to_unit_range(images, value_range), batch_size)
    return keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1)).astype(np.float64)
