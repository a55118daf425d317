"""The checks of chapter 11's exercises: check_conditional_input, check_projection_logit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf.book.exercises._checking import (
    _judge,
    _Mistake,
    _rng,
)


def check_conditional_input(function: Callable) -> None:
    """``function(noise, labels, n_classes)``: noise ``(N, d)`` and whole-number labels
    ``(N,)`` -> the conditional generator's input ``(N, d + n_classes)``: the noise, then the
    one-hot labels."""
    rng = _rng()
    cases = [
        (rng.normal(size=(n, d)).astype(np.float32), rng.integers(k, size=n), k)
        for n, d, k in ((6, 4, 10), (5, 3, 4))
    ]

    def joined(noise, labels, k, onehot):
        return np.concatenate([noise, onehot(labels, k)], axis=1)

    def eye(labels, k):
        return np.eye(k, dtype=np.float32)[labels]

    _judge(
        "conditional_input",
        function,
        cases,
        lambda z, y, k: joined(z, y, k, eye),
        [
            _Mistake(
                "the one-hot labels come first: the noise comes first, then the labels.",
                lambda z, y, k: np.concatenate([eye(y, k), z], axis=1),
            ),
            _Mistake(
                "the labels are appended as one number each: a network reads a class as a "
                "one-hot vector (a label of 8 is not twice a label of 4).",
                lambda z, y, k: np.concatenate([z, y[:, None].astype(np.float32)], axis=1),
            ),
            _Mistake(
                "the one-hot vectors are one column too short or long: there is one column "
                "per class, n_classes in all.",
                lambda z, y, k: joined(z, y, k + 1, eye),
            ),
        ],
    )


def check_projection_logit(function: Callable) -> None:
    """``function(features, onehot, w, b, embedding)``: features ``φ(x)`` ``(N, F)``,
    one-hot labels ``(N, K)``, ``w`` ``(F,)``, ``b`` a number, ``embedding`` ``V`` ``(K, F)``
    -> the projection discriminator's logits ``(N,)``: ``w·φ(x) + b + <V y, φ(x)>``."""
    rng = _rng()
    cases = []
    for n, f, k in ((6, 5, 4), (3, 7, 10)):
        labels = rng.integers(k, size=n)
        cases.append(
            (rng.normal(size=(n, f)), np.eye(k)[labels], rng.normal(size=f),
             float(rng.normal()), rng.normal(size=(k, f)))
        )  # fmt: skip

    def logit(features, onehot, w, b, v, projection):
        return features @ w + b + projection(features, onehot, v)

    _judge(
        "projection_logit",
        function,
        cases,
        lambda f, y, w, b, v: logit(f, y, w, b, v, lambda f, y, v: np.sum((y @ v) * f, axis=1)),
        [
            _Mistake(
                "the projection term is missing: that is an unconditional discriminator.",
                lambda f, y, w, b, v: logit(f, y, w, b, v, lambda f, y, v: 0.0),
            ),
            _Mistake(
                "the projection is summed over the batch instead of taken per example: each "
                "example's logit has its own inner product <V y_i, φ(x_i)>.",
                lambda f, y, w, b, v: logit(f, y, w, b, v, lambda f, y, v: np.sum((y @ v) * f)),
            ),
            _Mistake(
                "the bias b is missing.",
                lambda f, y, w, b, v: logit(
                    f, y, w, 0.0, v, lambda f, y, v: np.sum((y @ v) * f, axis=1)
                ),
            ),
        ],
    )
