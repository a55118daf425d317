"""The checks of chapter 6's exercises: check_circle_means, check_aae_losses."""

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
from aegan_tf.priors import GaussianMixturePrior


def check_circle_means(function: Callable) -> None:
    """``function(k, radius)`` -> ``(k, 2)``: ``k`` points evenly spaced on a circle of
    ``radius`` around the origin, the first at angle 0 (the AAE's mixture prior)."""
    rng = _rng()
    cases = [(int(rng.integers(3, 12)), float(rng.uniform(1, 6))) for _ in range(3)]

    def ring(k, r, angles=None):
        a = 2 * np.pi * np.arange(k) / k if angles is None else angles
        return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)

    _judge(
        "circle_means",
        function,
        cases,
        lambda k, r: GaussianMixturePrior(2, k, r).means,
        [
            _Mistake(
                "the last point repeats the first: k angles from 0 to 2π inclusive put two "
                "points at angle 0.",
                lambda k, r: ring(k, r, np.linspace(0, 2 * np.pi, k)),
            ),
            _Mistake(
                "the angles are in degrees; numpy's cos and sin take radians.",
                lambda k, r: ring(k, r, 360.0 * np.arange(k) / k),
            ),
            _Mistake(
                "the points lie on the unit circle: scale them by the radius.",
                lambda k, r: ring(k, 1.0),
            ),
            _Mistake(
                "the points are spaced over half the circle.",
                lambda k, r: ring(k, r, np.pi * np.arange(k) / k),
            ),
            _Mistake(
                "it returns (2, k): one row per component is expected, (k, 2).",
                lambda k, r: ring(k, r).T,
            ),
        ],
        rtol=1e-4,
        atol=1e-4,
    )


def check_aae_losses(function: Callable) -> None:
    """``function(prior_logits, code_logits)`` -> ``(discriminator_loss, encoder_loss)``: the
    code discriminator calls prior samples real and encoder codes fake; the encoder's
    loss is the non-saturating one on its codes."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n)) for n in (16, 7)]

    def reference(p, c):
        return losses.minimax_discriminator_loss(p, c), losses.nonsaturating_generator_loss(c)

    _judge(
        "aae_losses",
        function,
        cases,
        reference,
        [
            _Mistake(
                "the roles are swapped: the prior's samples are the real ones, the "
                "encoder's codes the fakes.",
                lambda p, c: (_d_loss(c, p), _mean(_softplus(-p))),
            ),
            _Mistake(
                "the encoder's loss is the saturating one, E[log(1 − D(E(x)))].",
                lambda p, c: (_d_loss(p, c), -_mean(_softplus(c))),
            ),
            _Mistake(
                "the encoder's loss is computed on the prior's logits; the encoder only "
                "moves its own codes.",
                lambda p, c: (_d_loss(p, c), _mean(_softplus(-p))),
            ),
            _Mistake(
                "the encoder's loss has the wrong sign.",
                lambda p, c: (_d_loss(p, c), -_mean(_softplus(-c))),
            ),
        ],
    )
