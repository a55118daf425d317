"""What an encoder learned: how well a linear classifier reads the labels off its codes."""

from __future__ import annotations

import numpy as np

from aegan_tf._validation import check_examples


def _check_codes_and_labels(codes, labels, name: str) -> tuple[np.ndarray, np.ndarray]:
    check_examples(codes, f"{name}_codes")
    codes, labels = np.asarray(codes, np.float64), np.asarray(labels)
    if codes.ndim != 2:
        raise ValueError(f"{name}_codes must be (N, code_dim), got shape {codes.shape}.")
    if labels.shape != (len(codes),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{name}_labels must be integer labels of shape ({len(codes)},), got "
            f"{labels.dtype} of shape {labels.shape}."
        )
    if not np.all(np.isfinite(codes)):
        raise ValueError(f"{name}_codes contain NaN or infinite values.")
    return codes, labels


def linear_probe(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
    l2: float = 1e-3,
) -> float:
    """Test accuracy of a linear classifier fitted on ``train_codes`` ``(N, d)``.

    The classifier is ridge regression onto one-hot labels (closed form, so the number is
    the same on every machine), on codes standardised with the training codes' statistics;
    ``l2`` is the ridge penalty per training example. Chance is ``1 / n_classes``; on the
    784 raw pixels of the offline MNIST split (4,000 training digits) it scores 0.82.
    """
    x, y = _check_codes_and_labels(train_codes, train_labels, "train")
    x_test, y_test = _check_codes_and_labels(test_codes, test_labels, "test")
    if x.shape[1] != x_test.shape[1]:
        raise ValueError(
            f"train and test codes must have the same size, got {x.shape[1]} and {x_test.shape[1]}."
        )
    if not l2 > 0:
        raise ValueError(f"l2 must be > 0, got {l2!r}.")
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-8

    def design(codes):
        return np.hstack([(codes - mean) / std, np.ones((len(codes), 1))])

    classes = np.unique(y)
    targets = (y[:, None] == classes[None, :]).astype(np.float64)  # (N, n_classes) one-hot
    a = design(x)
    weights = np.linalg.solve(a.T @ a + l2 * len(a) * np.eye(a.shape[1]), a.T @ targets)
    predicted = classes[np.argmax(design(x_test) @ weights, axis=1)]
    return float(np.mean(predicted == y_test))
