"""Metrics from the feature network's class predictions: which digits a generator makes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aegan_tf._validation import check_digit_labels, check_positive_int
from aegan_tf.metrics.features import class_probabilities


@dataclass(frozen=True)
class ClassReport:
    """The result of :func:`class_report`."""

    shares: np.ndarray
    """``(10,)``: the share of samples classified as each digit."""
    classes_covered: int
    """Digits that received at least ``min_share`` of a fair share (1/10) of the samples."""
    classifier_score: float
    """``exp(E_x[KL(p(y|x) || p(y))])``: from 1 (one class, or unsure) to 10."""
    classifier_score_std: float
    """Its standard deviation over the splits."""


def class_report(
    images: np.ndarray,
    value_range: tuple[float, float] = (-1.0, 1.0),
    min_share: float = 0.25,
    splits: int = 10,
) -> ClassReport:
    """Class shares, classes covered, and the classifier score of ``images`` ``(N, 28, 28, 1)``.

    The classifier score is the Inception Score (Salimans et al. 2016, "Improved Techniques
    for Training GANs") computed with the shipped MNIST classifier instead of Inception:
    high when each image is confidently one digit *and* all digits appear equally often.
    It is averaged over ``splits`` disjoint parts of the set, as in the paper: consecutive
    parts, so shuffle a set sorted by class first (ten parts of one class each score about 1).
    """
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}.")
    splits = check_positive_int(splits, "splits")
    probs = class_probabilities(images, value_range)  # (N, 10)
    if len(probs) < splits:
        raise ValueError(f"need at least {splits} images for {splits} splits, got {len(probs)}.")
    shares = np.bincount(probs.argmax(axis=1), minlength=10) / len(probs)
    scores = []
    for part in np.array_split(probs, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = np.sum(part * (np.log(part + 1e-12) - np.log(marginal + 1e-12)), axis=1)
        scores.append(np.exp(kl.mean()))
    return ClassReport(
        shares=shares,
        classes_covered=int(np.sum(shares >= min_share / 10)),
        classifier_score=float(np.mean(scores)),
        classifier_score_std=float(np.std(scores)),
    )


def asked_class_accuracy(
    images: np.ndarray, asked, value_range: tuple[float, float] = (-1.0, 1.0)
) -> np.ndarray:
    """For samples ``images`` ``(N, 28, 28, 1)`` of a conditional model, each drawn for the
    digit ``asked`` ``(N,)``: the share that the shipped classifier reads as the digit asked
    for, digit by digit, ``(10,)`` (NaN for a digit never asked). A model that ignores its
    labels scores about 0.1; the mean over digits is the accuracy of a class-balanced set."""
    asked = check_digit_labels(asked, len(images), "asked")
    drawn = class_probabilities(images, value_range).argmax(axis=1)
    return np.array(
        [np.mean(drawn[asked == k] == k) if np.any(asked == k) else np.nan for k in range(10)]
    )
