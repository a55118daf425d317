"""The checks of chapter 2's exercises: check_nonsaturating_generator_loss,
check_optimal_discriminator, check_gradient_penalty."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf.book.exercises._checking import (
    _dense,
    _judge,
    _logits,
    _mean,
    _Mistake,
    _rng,
    _softplus,
)


def check_nonsaturating_generator_loss(function: Callable) -> None:
    """``function(fake_logits)``: the discriminator's logits on fakes ``(N,)`` -> a scalar,
    ``-E[log D(G(z))]`` with ``D = sigmoid(logit)``."""
    rng = _rng()
    extreme = np.array([-100.0, -30.0, 0.0, 30.0, 100.0], np.float32)
    cases = [(_logits(rng, 16),), (_logits(rng, 7),), (extreme,)]
    notes = ["", "", " for logits as large as ±100 (a confident discriminator)"]
    _judge(
        "nonsaturating_generator_loss",
        function,
        cases,
        losses.nonsaturating_generator_loss,
        [
            _Mistake(
                "this is the minimax generator loss E[log(1 − D(G(z)))], the saturating "
                "form: its gradient vanishes when D rejects the fakes.",
                lambda f: -_mean(_softplus(f)),
            ),
            _Mistake(
                "the sign is wrong: minimising it would make D(G(z)) smaller.",
                lambda f: -_mean(_softplus(-f)),
            ),
            _Mistake(
                "the saturating loss with the wrong sign: −E[log(1 − D(G(z)))] is the "
                "discriminator's fake term, not the generator's loss.",
                lambda f: _mean(_softplus(f)),
            ),
            _Mistake(
                "it sums over the batch instead of taking the mean.",
                lambda f: np.sum(_softplus(-f)),
            ),
            _Mistake(
                "it returns one value per example; the loss is their mean, a scalar.",
                lambda f: _softplus(-f),
            ),
        ],
        case_notes=notes,
    )


def check_optimal_discriminator(function: Callable) -> None:
    """``function(p_data, p_g)``: two densities on the same points -> ``D*(x)``, same shape."""
    rng = _rng()
    cases = [tuple(rng.uniform(0.01, 2.0, (2, n))) for n in (50, 9, 200)]
    _judge(
        "optimal_discriminator",
        function,
        cases,
        lambda p, q: p / (p + q),
        [
            _Mistake(
                "it gives the probability that x is fake: D* is the probability that x "
                "came from the data.",
                lambda p, q: q / (p + q),
            ),
            _Mistake(
                "it returns the density ratio itself, which is not a probability (it can "
                "exceed 1).",
                lambda p, q: p / q,
            ),
            _Mistake(
                "it returns 1/2 everywhere: that is D* only when p_g = p_data, at the "
                "end of the game.",
                lambda p, q: np.full_like(p, 0.5),
            ),
        ],
    )


def _norms(critic, points) -> np.ndarray:
    points = tf.convert_to_tensor(points)
    with tf.GradientTape() as tape:
        tape.watch(points)
        out = critic(points, training=True)
    return np.linalg.norm(tape.gradient(out, points).numpy().astype(np.float64), axis=1)


def check_gradient_penalty(function: Callable) -> None:
    """``function(critic, real, fake, epsilon)``: ``real``, ``fake`` ``(N, 4)``, ``epsilon``
    ``(N,)`` -> a scalar, ``E[(||∇ critic(x̂)||₂ − 1)²]`` at ``x̂ = ε x + (1 − ε) x̃``."""
    rng = _rng()
    critic = keras.Sequential([keras.Input((4,)), _dense(16, rng, "tanh"), _dense(1, rng)])
    cases = []
    for n in (8, 5):
        real, fake = rng.normal(size=(2, n, 4)).astype(np.float32) * 2
        cases.append((critic, real, fake, rng.uniform(size=n).astype(np.float32)))

    def mixed(real, fake, eps):
        return eps[:, None] * real + (1 - eps[:, None]) * fake

    def penalty(c, points, reduce=np.mean, power=1):
        return reduce((_norms(c, points) ** power - 1) ** 2)

    _judge(
        "gradient_penalty",
        function,
        cases,
        lambda c, r, f, e: losses.gradient_penalty(c, r, f, epsilon=e),
        [
            _Mistake(
                "it penalises the squared norm, (||∇||² − 1)²: penalise the norm itself.",
                lambda c, r, f, e: penalty(c, mixed(r, f, e), power=2),
            ),
            _Mistake(
                "it takes the gradient at the real points: take it at the interpolates "
                "between real and fake.",
                lambda c, r, f, e: penalty(c, r),
            ),
            _Mistake(
                "it takes the gradient at the fake points: take it at the interpolates "
                "between real and fake.",
                lambda c, r, f, e: penalty(c, f),
            ),
            _Mistake(
                "it is one-sided, max(0, ||∇|| − 1)²: WGAN-GP penalises norms below 1 too.",
                lambda c, r, f, e: np.mean(np.maximum(_norms(c, mixed(r, f, e)) - 1, 0) ** 2),
            ),
            _Mistake(
                "it sums over the batch instead of taking the mean.",
                lambda c, r, f, e: penalty(c, mixed(r, f, e), reduce=np.sum),
            ),
            _Mistake(
                "it takes one norm of the whole batch's gradient; take one norm per example.",
                lambda c, r, f, e: (np.linalg.norm(_norms(c, mixed(r, f, e))) - 1) ** 2,
            ),
            _Mistake(
                "ε and 1 − ε are swapped: x̂ = ε·real + (1 − ε)·fake.",
                lambda c, r, f, e: penalty(c, mixed(f, r, e)),
            ),
        ],
        rtol=1e-3,
        atol=1e-4,
    )
