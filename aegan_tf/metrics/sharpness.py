"""How sharp images are: the variance of their Laplacian, a standard measure of blur."""

from __future__ import annotations

import numpy as np

from aegan_tf._validation import check_images, check_value_range
from aegan_tf.metrics.features import _to_unit_range


def sharpness(images: np.ndarray, value_range: tuple[float, float] = (0.0, 1.0)) -> float:
    """Mean over images ``(N, H, W, C)`` of the variance of their 4-neighbour Laplacian.

    The Laplacian ``4 x[i, j] - x[i±1, j] - x[i, j±1]`` responds to edges; a blurred image
    has weak edges and a small variance (Pech-Pacheco et al. 2000, "Diatom autofocusing in
    brightfield microscopy: a comparative study"). Pixels are mapped to [0, 1] first, so
    values compare across value ranges; higher is sharper. Compare with real images.
    """
    check_images(images)
    check_value_range(np.asarray(images), value_range)
    x = _to_unit_range(np.asarray(images, np.float32), value_range)
    laplacian = (
        4 * x[:, 1:-1, 1:-1] - x[:, :-2, 1:-1] - x[:, 2:, 1:-1] - x[:, 1:-1, :-2] - x[:, 1:-1, 2:]
    )
    return float(np.mean(laplacian.reshape(len(x), -1).var(axis=1)))
