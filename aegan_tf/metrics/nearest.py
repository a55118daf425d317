"""Memorisation: how close each generated sample is to its nearest training example."""

from __future__ import annotations

import numpy as np

from aegan_tf._validation import check_examples, check_finite, check_positive_int


def pairwise_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between the rows of ``a`` ``(N, D)`` and ``b`` ``(M, D)``: ``(N, M)``."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    squared = np.sum(a**2, axis=1)[:, None] - 2 * a @ b.T + np.sum(b**2, axis=1)[None, :]
    return np.sqrt(np.maximum(squared, 0.0))  # rounding can make tiny squares negative


def nearest_neighbours(
    queries: np.ndarray, references: np.ndarray, batch_size: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distance from each query to its nearest reference, and that reference's index.

    ``queries`` ``(N, ...)`` and ``references`` ``(M, ...)`` have the same example shape
    (images are compared pixel by pixel). Returns ``distances`` float64 ``(N,)`` and
    ``indices`` int ``(N,)``. A generator that copies its training set has distances near
    0; compare with the distances of held-out real examples, which are not copies.
    """
    check_examples(queries, "queries")
    check_examples(references, "references")
    if queries.shape[1:] != references.shape[1:]:
        raise ValueError(
            f"queries and references must have the same example shape, got "
            f"{queries.shape[1:]} and {references.shape[1:]}."
        )
    batch_size = check_positive_int(batch_size, "batch_size")
    check_finite(queries, "queries")  # (a NaN query has no nearest reference: argmin says 0)
    check_finite(references, "references")
    refs = references.reshape(len(references), -1)  # (M, D)
    distances, indices = [], []
    for start in range(0, len(queries), batch_size):
        q = queries[start : start + batch_size].reshape(-1, refs.shape[1])
        dist = pairwise_distances(q, refs)  # (B, M)
        best = np.argmin(dist, axis=1)
        indices.append(best)
        distances.append(dist[np.arange(len(q)), best])
    return np.concatenate(distances), np.concatenate(indices)
