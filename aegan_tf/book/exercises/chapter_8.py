"""The checks of chapter 8's exercises: check_bigan_losses, check_nearest_neighbour_accuracy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf import losses
from aegan_tf.book.exercises._checking import (
    _d_loss,
    _judge,
    _logits,
    _mean,
    _Mistake,
    _rng,
    _softplus,
)
from aegan_tf.metrics import nearest


def check_bigan_losses(function: Callable) -> None:
    """``function(real_pair_logits, fake_pair_logits)`` -> ``(discriminator_loss,
    encoder_generator_loss)``: D calls ``(x, E(x))`` real and ``(G(z), z)`` fake; E and G
    minimise the same cross-entropy with the labels swapped."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n)) for n in (16, 7)]

    def reference(r, f):
        return losses.minimax_discriminator_loss(r, f), losses.minimax_discriminator_loss(f, r)

    _judge(
        "bigan_losses",
        function,
        cases,
        reference,
        [
            _Mistake(
                "the encoder–generator loss covers the generator's pairs only; the "
                "encoder's pairs (x, E(x)) must also fool D.",
                lambda r, f: (_d_loss(r, f), _mean(_softplus(-f))),
            ),
            _Mistake(
                "the encoder–generator loss is the discriminator's with a minus sign (the "
                "saturating minimax form); swap the labels instead.",
                lambda r, f: (_d_loss(r, f), -_d_loss(r, f)),
            ),
            _Mistake(
                "the discriminator's labels are swapped: (x, E(x)) is the real pair.",
                lambda r, f: (_d_loss(f, r), _d_loss(r, f)),
            ),
        ],
    )


def check_nearest_neighbour_accuracy(function: Callable) -> None:
    """``function(train_codes, train_labels, test_codes, test_labels)`` -> a float: the share of
    test codes whose nearest training code (Euclidean) has the same label."""
    rng = _rng()
    cases = []
    for n, m, d in ((60, 25, 2), (80, 30, 5)):
        centres = rng.normal(size=(4, d)) * 2
        train_labels, test_labels = rng.integers(0, 4, n), rng.integers(0, 4, m)
        train = centres[train_labels] + rng.normal(size=(n, d))
        test = centres[test_labels] + rng.normal(size=(m, d))
        cases.append((train, train_labels, test, test_labels))

    def accuracy(x, y, xt, yt, pick=np.argmin):
        return float(np.mean(y[pick(nearest.pairwise_distances(xt, x), axis=1)] == yt))

    _judge(
        "nearest_neighbour_accuracy",
        function,
        cases,
        accuracy,
        [
            _Mistake(
                "it counts correct codes instead of their share.",
                lambda x, y, xt, yt: accuracy(x, y, xt, yt) * len(yt),
            ),
            _Mistake(
                "it votes with the farthest training code, not the nearest.",
                lambda x, y, xt, yt: accuracy(x, y, xt, yt, pick=np.argmax),
            ),
            _Mistake(
                "it scores the training codes against themselves (each is its own nearest "
                "neighbour); score the test codes.",
                lambda x, y, xt, yt: 1.0,
            ),
            _Mistake(
                "it returns the error rate, not the accuracy.",
                lambda x, y, xt, yt: 1.0 - accuracy(x, y, xt, yt),
            ),
        ],
    )
