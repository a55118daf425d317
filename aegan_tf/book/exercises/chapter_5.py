"""The checks of chapter 5's exercises: check_standardize_codes, check_latent_gan_sampling."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

from aegan_tf.book.exercises._checking import (
    _dense,
    _judge,
    _Mistake,
    _rng,
)


def check_standardize_codes(function: Callable) -> None:
    """``function(codes)``: ``(N, d)`` -> ``(standardized, mean, std)``; each code unit gets
    zero mean and unit standard deviation; ``mean`` and ``std`` are ``(d,)``."""
    rng = _rng()
    cases = [
        (rng.normal(size=(n, d)) * rng.uniform(0.2, 5, d) + rng.normal(size=d) * 3,)
        for n, d in ((200, 8), (50, 3))
    ]

    def reference(codes):
        mean, std = codes.mean(axis=0), codes.std(axis=0)
        return (codes - mean) / std, mean, std

    def over(codes, axis):
        mean, std = codes.mean(axis=axis, keepdims=True), codes.std(axis=axis, keepdims=True)
        return (codes - mean) / std, np.squeeze(mean), np.squeeze(std)

    _judge(
        "standardize_codes",
        function,
        cases,
        reference,
        [
            _Mistake(
                "one mean and one std for all the numbers: each code unit (column) needs its own.",
                lambda c: over(c, None),
            ),
            _Mistake(
                "it standardises each example (row); each code unit (column) is asked.",
                lambda c: over(c, 1),
            ),
            _Mistake(
                "the codes are divided by the std but not centred.",
                lambda c: (c / c.std(0), c.mean(0), c.std(0)),
            ),
        ],
        rtol=1e-3,
        atol=1e-5,
    )


def check_latent_gan_sampling(function: Callable) -> None:
    """``function(noise, generator, decoder, code_mean, code_std)`` -> images: the generator's
    standardised codes, put back in the autoencoder's code scale, then decoded."""
    rng = _rng()
    generator = keras.Sequential([keras.Input((5,)), _dense(4, rng)])
    decoder = keras.Sequential([keras.Input((4,)), _dense(12, rng, "tanh")])
    mean = rng.normal(size=4).astype(np.float32) * 3
    std = rng.uniform(0.3, 4, 4).astype(np.float32)
    cases = [
        (rng.normal(size=(n, 5)).astype(np.float32), generator, decoder, mean, std) for n in (6, 3)
    ]

    def decode(d, codes):
        return d(np.asarray(codes, np.float32)).numpy()

    def generate(g, z):
        return g(z).numpy()

    _judge(
        "latent_gan_sampling",
        function,
        cases,
        lambda z, g, d, m, s: decode(d, generate(g, z) * s + m),
        [
            _Mistake(
                "the generator's codes are decoded as they are: they are standardised, so "
                "undo the standardisation first.",
                lambda z, g, d, m, s: decode(d, generate(g, z)),
            ),
            _Mistake(
                "the codes are standardised again; the generator's output needs the inverse step.",
                lambda z, g, d, m, s: decode(d, (generate(g, z) - m) / s),
            ),
            _Mistake(
                "the noise is decoded directly: the generator is skipped.",
                lambda z, g, d, m, s: decode(d, z[:, :4]),
            ),
            _Mistake(
                "the mean is added before scaling by the std; scale first, then shift.",
                lambda z, g, d, m, s: decode(d, (generate(g, z) + m) * s),
            ),
        ],
        rtol=1e-3,
        atol=1e-5,
    )
