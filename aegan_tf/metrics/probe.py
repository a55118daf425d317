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


def _check_train_and_test(train_codes, train_labels, test_codes, test_labels) -> tuple:
    x, y = _check_codes_and_labels(train_codes, train_labels, "train")
    x_test, y_test = _check_codes_and_labels(test_codes, test_labels, "test")
    if x.shape[1] != x_test.shape[1]:
        raise ValueError(
            f"train and test codes must have the same size, got {x.shape[1]} and {x_test.shape[1]}."
        )
    return x, y, x_test, y_test


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
    x, y, x_test, y_test = _check_train_and_test(train_codes, train_labels, test_codes, test_labels)
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


def knn_accuracy(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
    k: int = 5,
) -> np.ndarray:
    """Per-class accuracy ``(n_classes,)`` of a ``k``-nearest-neighbour vote in code space.

    Each test code ``(M, d)`` takes the majority label of its ``k`` nearest training codes
    ``(N, d)`` (Euclidean; ties go to the smaller label). Where a linear probe asks whether
    the classes are separable by planes, this asks whether codes of one class land near each
    other: it suits a 2-D code space with curved clusters. Entry ``c`` is the share of test
    codes of class ``c`` (classes as in ``np.unique(train_labels)``) voted right; chance is
    about ``1 / n_classes``.
    """
    x, y, x_test, y_test = _check_train_and_test(train_codes, train_labels, test_codes, test_labels)
    predicted = _knn_predictions(x, y, x_test, k)
    return np.array([np.mean(predicted[y_test == c] == c) for c in np.unique(y)])


def nearest_neighbour_accuracy(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
) -> float:
    """The share of test codes ``(M, d)`` whose nearest training code ``(N, d)`` (Euclidean)
    has the same label: the 1-nearest-neighbour accuracy by which Donahue et al. 2016 compare
    encoders. Over all test codes, where :func:`knn_accuracy` gives it per class."""
    x, y, x_test, y_test = _check_train_and_test(train_codes, train_labels, test_codes, test_labels)
    return float(np.mean(_knn_predictions(x, y, x_test, 1) == y_test))


def _knn_predictions(x: np.ndarray, y: np.ndarray, x_test: np.ndarray, k) -> np.ndarray:
    """The majority label ``(M,)`` of each test code's ``k`` nearest training codes."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(x):
        raise ValueError(f"k must be an integer from 1 to {len(x)} (training codes), got {k!r}.")
    classes, y_index = np.unique(y, return_inverse=True)
    squared = (x_test**2).sum(1)[:, None] - 2 * x_test @ x.T + (x**2).sum(1)[None, :]
    nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]  # (M, k), unordered
    votes = np.zeros((len(x_test), len(classes)))
    np.add.at(votes, (np.arange(len(x_test))[:, None], y_index[nearest]), 1)
    return classes[np.argmax(votes, axis=1)]
