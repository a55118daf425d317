"""The checks of chapter 10's exercises: check_forward_noise, check_ancestral_step."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf.book.exercises._checking import (
    _judge,
    _Mistake,
    _rng,
)


def _alpha_bars(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.uniform(0.01, 0.99, n).astype(np.float32)


def check_forward_noise(function: Callable) -> None:
    """``function(x0, alpha_bar, noise)``: codes ``x0`` ``(N, d)``, each row's ``ᾱ_t``
    ``(N,)`` and the noise ``(N, d)`` -> ``x_t = sqrt(ᾱ_t) x0 + sqrt(1 - ᾱ_t) noise``."""
    rng = _rng()
    cases = [
        (rng.normal(size=(n, d)).astype(np.float32), _alpha_bars(rng, n),
         rng.normal(size=(n, d)).astype(np.float32))
        for n, d in ((6, 4), (3, 7))
    ]  # fmt: skip

    def mix(x0, a, noise, keep, add):
        return keep(a)[:, None] * x0 + add(a)[:, None] * noise

    _judge(
        "forward_noise",
        function,
        cases,
        lambda x0, a, e: mix(x0, a, e, np.sqrt, lambda a: np.sqrt(1 - a)),
        [
            _Mistake(
                "it scales by ᾱ and 1 - ᾱ, the variances: the means and the noise are scaled "
                "by their square roots.",
                lambda x0, a, e: mix(x0, a, e, lambda a: a, lambda a: 1 - a),
            ),
            _Mistake(
                "the roles are swapped: the codes keep sqrt(ᾱ), the noise gets sqrt(1 - ᾱ).",
                lambda x0, a, e: mix(x0, a, e, lambda a: np.sqrt(1 - a), np.sqrt),
            ),
            _Mistake(
                "the noise is scaled by sqrt(ᾱ) too, sqrt(ᾱ) (x0 + noise): the total "
                "variance then shrinks instead of staying 1.",
                lambda x0, a, e: mix(x0, a, e, np.sqrt, np.sqrt),
            ),
        ],
    )


def check_ancestral_step(function: Callable) -> None:
    """``function(x, noise_estimate, alpha_bar, alpha_bar_next, z)``: one step of DDPM's
    sampler from ``x_t`` ``(N, d)`` to the next step visited, whose ``ᾱ`` is
    ``alpha_bar_next`` (both numbers): ``β = 1 - ᾱ / ᾱ_next``, the mean
    ``(x - β / sqrt(1 - ᾱ) ε) / sqrt(1 - β)`` plus ``sqrt(β̃) z``, with the posterior's
    variance ``β̃ = β (1 - ᾱ_next) / (1 - ᾱ)``."""
    rng = _rng()
    cases = []
    for n, d in ((5, 3), (2, 6)):
        a_next = float(rng.uniform(0.3, 0.99))
        a = float(a_next * rng.uniform(0.3, 0.95))
        cases.append(
            (rng.normal(size=(n, d)).astype(np.float32),
             rng.normal(size=(n, d)).astype(np.float32), a, a_next,
             rng.normal(size=(n, d)).astype(np.float32))
        )  # fmt: skip

    def step(x, eps, a, a_next, z, variance, sign=1.0):
        beta = 1 - a / a_next
        mean = (x - sign * beta / np.sqrt(1 - a) * eps) / np.sqrt(1 - beta)
        return mean + np.sqrt(variance(beta, a, a_next)) * z

    def posterior(beta, a, a_next):
        return beta * (1 - a_next) / (1 - a)

    _judge(
        "ancestral_step",
        function,
        cases,
        lambda x, e, a, an, z: step(x, e, a, an, z, posterior),
        [
            _Mistake(
                "its noise has variance β, Ho et al.'s other choice (also a fair sampler); "
                "this exercise asks for the posterior's β̃ = β (1 - ᾱ_next) / (1 - ᾱ).",
                lambda x, e, a, an, z: step(x, e, a, an, z, lambda b, a, an: b),
            ),
            _Mistake(
                "no noise is added: that is the mean alone (the last step's output only).",
                lambda x, e, a, an, z: step(x, e, a, an, z, lambda b, a, an: 0.0),
            ),
            _Mistake(
                "the noise estimate is added instead of removed (a sign).",
                lambda x, e, a, an, z: step(x, e, a, an, z, posterior, sign=-1.0),
            ),
        ],
    )
