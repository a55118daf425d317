"""One report of every sample metric of the book, for comparing generative models."""

from __future__ import annotations

import warnings

import numpy as np

from aegan_tf._validation import check_positive_int
from aegan_tf.metrics.classifier import class_report
from aegan_tf.metrics.distances import (
    RELIABLE_SAMPLES,
    SmallSampleWarning,
    fid,
    kid,
    precision_recall,
    warn_if_few,
)
from aegan_tf.metrics.features import _to_unit_range, extract_features
from aegan_tf.metrics.nearest import nearest_neighbours


def sample_report(
    images: np.ndarray,
    train_images: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    train_features: np.ndarray | None = None,
    nearest_samples: int = 500,
    pr_reference: int | None = None,
) -> dict[str, float]:
    """FID, KID, precision, recall, classes covered, classifier score and memorisation.

    ``images`` ``(N, 28, 28, 1)`` are generated samples, ``train_images`` the training set,
    both in ``value_range``; ``train_features`` (optional) are the training set's
    :func:`extract_features`, to compute them once for several reports. "nearest train
    image" is the median pixel distance, in [0, 1] units, from the first ``nearest_samples``
    images to their nearest training image: near 0 for copies; compare with held-out real
    digits. Precision and recall use every training image, or with ``pr_reference`` the last
    ``pr_reference`` of them (a set the size of the samples: Kynkäänniemi et al. compare sets
    of equal size). Returns a dict, one row of a comparison table.
    """
    if train_features is None:
        train_features = extract_features(train_images, value_range)
    features = extract_features(images, value_range)
    if pr_reference is not None:
        pr_reference = check_positive_int(pr_reference, "pr_reference")
        if pr_reference > len(train_features):
            raise ValueError(
                f"pr_reference must be at most the {len(train_features)} training images, "
                f"got {pr_reference}."
            )
    warn_if_few("A sample report", {"generated": len(features)}, RELIABLE_SAMPLES)  # (once)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        reference = train_features if pr_reference is None else train_features[-pr_reference:]
        precision, recall = precision_recall(reference, features)
        report = class_report(images, value_range)
        distances, _ = nearest_neighbours(
            _to_unit_range(images[:nearest_samples], value_range),
            _to_unit_range(train_images, value_range),
        )
        return {
            "FID": fid(train_features, features),
            "KID x 1000": 1000 * kid(train_features, features)[0],
            "precision": precision,
            "recall": recall,
            "classes": report.classes_covered,
            "classifier score": report.classifier_score,
            "nearest train image": float(np.median(distances)),
        }
