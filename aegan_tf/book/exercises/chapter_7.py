"""The checks of chapter 7's exercises: check_reparameterize, check_kl_divergence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf import losses
from aegan_tf.book.exercises._checking import (
    _judge,
    _Mistake,
    _rng,
)
from aegan_tf.models.vae import reparameterize


def check_reparameterize(function: Callable) -> None:
    """``function(mean, log_var, epsilon)``: each ``(N, d)`` -> ``z`` ``(N, d)``, a sample of
    ``N(mean, exp(log_var))`` written as a differentiable function of ``mean`` and ``log_var``."""
    rng = _rng()
    cases = [tuple(rng.normal(size=(3, n, d)).astype(np.float32)) for n, d in ((8, 2), (5, 6))]
    _judge(
        "reparameterize",
        function,
        cases,
        lambda m, v, e: reparameterize(m, v, epsilon=e),
        [
            _Mistake(
                "ε is scaled by the variance exp(log σ²); scale it by the standard deviation σ.",
                lambda m, v, e: m + np.exp(v) * e,
            ),
            _Mistake(
                "ε is scaled by log σ² itself; σ is its exponential, halved in the exponent.",
                lambda m, v, e: m + v * e,
            ),
            _Mistake(
                "the mean is missing: z is centred at 0.", lambda m, v, e: np.exp(0.5 * v) * e
            ),
            _Mistake(
                "ε is scaled by 1/σ: the exponent's sign is wrong.",
                lambda m, v, e: m + np.exp(-0.5 * v) * e,
            ),
            _Mistake("z is the mean alone: without ε nothing is sampled.", lambda m, v, e: m),
        ],
    )


def check_kl_divergence(function: Callable) -> None:
    """``function(mean, log_var)``: each ``(N, d)`` -> ``(N,)``, ``KL(N(μ, σ²) || N(0, I))``
    per example, in closed form."""
    rng = _rng()
    cases = [tuple(rng.normal(size=(2, n, d)).astype(np.float32)) for n, d in ((8, 2), (5, 6))]

    def terms(m, v):
        return np.square(m) + np.exp(v) - v - 1.0

    _judge(
        "kl_divergence",
        function,
        cases,
        losses.kl_to_standard_normal,
        [
            _Mistake("the factor 1/2 is missing.", lambda m, v: np.sum(terms(m, v), axis=1)),
            _Mistake(
                "it averages over the code dimensions; the KL of independent dimensions is "
                "their sum.",
                lambda m, v: 0.5 * np.mean(terms(m, v), axis=1),
            ),
            _Mistake(
                "the sign is wrong: a KL divergence is never negative.",
                lambda m, v: -0.5 * np.sum(terms(m, v), axis=1),
            ),
            _Mistake(
                "the −1 inside the sum is missing, so a posterior equal to the prior does "
                "not give 0.",
                lambda m, v: 0.5 * np.sum(terms(m, v) + 1, axis=1),
            ),
            _Mistake(
                "it averages over the batch: one value per example, shape (N,), is asked.",
                lambda m, v: 0.5 * np.mean(np.sum(terms(m, v), axis=1)),
            ),
            _Mistake(
                "log_var is used as if it were σ; it is log σ².",
                lambda m, v: 0.5 * np.sum(np.square(m) + v**2 - np.log(v**2) - 1, axis=1),
            ),
        ],
    )
