"""The checks of chapter 3's exercises: check_tanh_scaling, check_discriminator_loss,
check_nearest_distances."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf import data, losses
from aegan_tf.book.exercises._checking import (
    _judge,
    _logits,
    _mean,
    _Mistake,
    _rng,
    _softplus,
)
from aegan_tf.metrics import nearest


def check_tanh_scaling(function: Callable) -> None:
    """``function(pixels)``: uint8 images in 0..255 -> float images in [−1, 1], same shape."""
    rng = _rng()
    cases = [(rng.integers(0, 256, (n, 6, 6, 1)).astype(np.uint8),) for n in (4, 9)]
    cases.append((np.array([[[[0]], [[255]]]], np.uint8),))
    _judge(
        "tanh_scaling",
        function,
        cases,
        lambda p: data.scale_images(p, (-1.0, 1.0)),
        [
            _Mistake(
                "the images come out in [0, 1]; the generator's tanh gives [−1, 1], so the "
                "real images must use the same range.",
                lambda p: p / 255.0,
            ),
            _Mistake(
                "the images come out in [0, 2]: subtract the offset as well.", lambda p: p / 127.5
            ),
            _Mistake(
                "the pixels are not divided by their maximum first: values reach 509.",
                lambda p: p.astype(np.float64) * 2 - 1,
            ),
            _Mistake(
                "the images come out in [−0.5, 0.5]: the range is 2 wide.",
                lambda p: p / 255.0 - 0.5,
            ),
        ],
    )


def check_discriminator_loss(function: Callable) -> None:
    """``function(real_logits, fake_logits, label_smoothing)`` -> a scalar: binary
    cross-entropy with target ``1 − label_smoothing`` for real and 0 for fake."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n), s) for n, s in ((16, 0.0), (9, 0.1), (12, 0.3))]

    def bce(logits, target):
        return _mean(target * _softplus(-logits) + (1 - target) * _softplus(logits))

    _judge(
        "discriminator_loss",
        function,
        cases,
        losses.minimax_discriminator_loss,
        [
            _Mistake(
                "real and fake labels are swapped: real examples have target 1 (or 1 − s).",
                lambda r, f, s: bce(f, 1 - s) + bce(r, 0.0),
            ),
            _Mistake(
                "the smoothing is two-sided: it also moves the fakes' target from 0 to s; "
                "smooth the real target only.",
                lambda r, f, s: bce(r, 1 - s) + bce(f, s),
            ),
            _Mistake(
                "label_smoothing is ignored: the real examples' target should be 1 − s.",
                lambda r, f, s: bce(r, 1.0) + bce(f, 0.0),
            ),
            _Mistake(
                "only the real examples' term is there; add the fakes' term.",
                lambda r, f, s: bce(r, 1 - s),
            ),
            _Mistake(
                "the two terms are averaged; the loss is their sum.",
                lambda r, f, s: (bce(r, 1 - s) + bce(f, 0.0)) / 2,
            ),
        ],
    )


def check_nearest_distances(function: Callable) -> None:
    """``function(samples, training)``: ``(N, D)`` and ``(M, D)`` -> ``(N,)``, the Euclidean
    distance from each sample to its nearest training example."""
    rng = _rng()
    sizes = ((5, 30, 8), (12, 7, 3))
    cases = [(rng.normal(size=(n, d)), rng.normal(size=(m, d))) for n, m, d in sizes]
    table = nearest.pairwise_distances  # (N, M)

    _judge(
        "nearest_distances",
        function,
        cases,
        lambda a, b: nearest.nearest_neighbours(a, b)[0],
        [
            _Mistake(
                "it returns squared distances; take the square root.",
                lambda a, b: table(a, b).min(axis=1) ** 2,
            ),
            _Mistake(
                "it returns the farthest training example's distance; the nearest is asked.",
                lambda a, b: table(a, b).max(axis=1),
            ),
            _Mistake(
                "it returns the nearest example's index, not its distance.",
                lambda a, b: table(a, b).argmin(axis=1),
            ),
            _Mistake(
                "it returns the mean distance to all training examples; the nearest is asked.",
                lambda a, b: table(a, b).mean(axis=1),
            ),
            _Mistake(
                "it gives one value per training example: reduce over the training "
                "examples, one distance per sample.",
                lambda a, b: table(a, b).min(axis=0),
            ),
        ],
    )
