"""Memorisation: how close each generated sample is to its nearest training example."""

from __future__ import annotations

import numpy as np

from aegan_tf._validation import check_examples, check_positive_int


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
    refs = references.reshape(len(references), -1).astype(np.float64)  # (M, D)
    ref_sq = np.sum(refs**2, axis=1)
    distances, indices = [], []
    for start in range(0, len(queries), batch_size):
        q = queries[start : start + batch_size].reshape(-1, refs.shape[1]).astype(np.float64)
        sq = np.sum(q**2, axis=1)[:, None] - 2 * q @ refs.T + ref_sq[None, :]  # (B, M)
        best = np.argmin(sq, axis=1)
        indices.append(best)
        distances.append(np.sqrt(np.maximum(sq[np.arange(len(q)), best], 0.0)))
    return np.concatenate(distances), np.concatenate(indices)
