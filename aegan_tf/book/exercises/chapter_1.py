"""The checks of chapter 1's exercises: check_reconstruction_loss, check_linear_path."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf import latent, losses
from aegan_tf.book.exercises._checking import (
    _images,
    _judge,
    _Mistake,
    _rng,
)


def check_reconstruction_loss(function: Callable) -> None:
    """``function(x, x_hat)``: images ``(N, H, W, C)`` -> the mean squared error of each
    example, ``(N,)``."""
    rng = _rng()
    cases = [(_images(rng, n), _images(rng, n)) for n in (5, 8, 3)]
    _judge(
        "reconstruction_loss",
        function,
        cases,
        losses.mse_reconstruction_loss,
        [
            _Mistake(
                "it averages over the batch too: Keras expects one loss per example, "
                "shape (N,), and takes the batch mean itself.",
                lambda x, y: np.mean((x - y) ** 2),
            ),
            _Mistake(
                "it sums the squared errors over the pixels instead of averaging them: "
                "the values are H·W·C times too large.",
                lambda x, y: np.sum((x - y) ** 2, axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages absolute differences (the L1 loss), not squared ones.",
                lambda x, y: np.mean(np.abs(x - y), axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages signed differences: positive and negative errors cancel. "
                "Square them first.",
                lambda x, y: np.mean(x - y, axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages over one axis only; average over every pixel of an example.",
                lambda x, y: np.mean((x - y) ** 2, axis=1),
            ),
        ],
    )


def check_linear_path(function: Callable) -> None:
    """``function(start, end, steps)``: codes ``(d,)`` -> ``(steps, d)``, first row ``start``,
    last row ``end``, evenly spaced in between."""
    rng = _rng()
    shapes = ((2, 5), (8, 10), (3, 2))
    cases = [(rng.normal(size=d), rng.normal(size=d), steps) for d, steps in shapes]
    _judge(
        "linear_path",
        function,
        cases,
        lambda a, b, steps: latent.interpolate(a, b, steps, "linear"),
        [
            _Mistake(
                "the last row is not `end`: the path stops one step short (t must run "
                "from 0 to 1 inclusive).",
                lambda a, b, s: a + np.linspace(0, 1, s, endpoint=False)[:, None] * (b - a),
            ),
            _Mistake(
                "the path runs backwards, from `end` to `start`.",
                lambda a, b, s: latent.interpolate(b, a, s, "linear"),
            ),
            _Mistake(
                "it returns (d, steps): one row per step is expected, (steps, d).",
                lambda a, b, s: latent.interpolate(a, b, s, "linear").T,
            ),
            _Mistake(
                "it has steps + 1 rows: `steps` counts both ends.",
                lambda a, b, s: latent.interpolate(a, b, s + 1, "linear"),
            ),
        ],
    )
