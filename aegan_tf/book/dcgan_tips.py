"""Two GAN training tips put to the test on chapter 3's DCGAN, over several seeds.

:func:`build` makes chapter 3's DCGAN (compiled, with one setting changed or none);
``benchmarks/dcgan_tips.py`` trains each of :data:`TIPS` for a few epochs with several seeds
and ships the curves, FIDs and samples, which :func:`load_results` and :func:`load_samples`
read back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aegan_tf import recipes
from aegan_tf._validation import check_number
from aegan_tf.book import _results
from aegan_tf.models import GAN

RESULTS = Path(__file__).parent / "results" / "dcgan_tips.json"
"""The shipped results of ``benchmarks/dcgan_tips.py``; the samples lie beside it (``.npz``)."""

LATENT_DIM = recipes.DCGAN_NOISE_DIM
LEARNING_RATE = recipes.options("DCGAN")["d_learning_rate"]  # the DCGAN paper's 2e-4, β₁ 0.5

TIPS: dict[str, dict] = {
    "baseline": {},
    "D learns 10x faster": {"d_learning_rate": 10 * LEARNING_RATE},
    "label smoothing 0.1": {"label_smoothing": 0.1},
}
"""Each tip by name: the arguments of :func:`build` that it changes."""


def build(
    seed: int = 0,
    d_learning_rate: float = LEARNING_RATE,
    g_learning_rate: float = LEARNING_RATE,
    label_smoothing: float = 0.0,
) -> GAN:
    """Chapter 3's DCGAN, compiled (the recipe ``"DCGAN"`` of :mod:`aegan_tf.recipes`):
    generator filters (128, 64, 32) from 100-d noise, discriminator filters (64, 128),
    non-saturating loss, Adam(β₁ 0.5) at the given rates. ``seed`` sets the initial weights
    (generator first) and the noise of training."""
    for name, rate in (("d_learning_rate", d_learning_rate), ("g_learning_rate", g_learning_rate)):
        check_number(rate, name, low=0, above=True)
    return recipes.build(
        "DCGAN",
        seed,
        d_learning_rate=d_learning_rate,
        g_learning_rate=g_learning_rate,
        label_smoothing=label_smoothing,
    )


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [...]}``, each run a dict with ``tip``, ``seed``,
    ``epochs``, ``machine``, ``date``, ``fid`` (the last epoch's), per-epoch lists
    ``d_real``, ``d_fake``, ``d_loss``, ``g_loss`` and ``fid_curve`` (NaN where not measured),
    and ``report``: :func:`aegan_tf.metrics.sample_report` of 500 samples after training
    (chapter 4's table row)."""
    return _results.load_runs(path)


def load_samples(path: str | Path = RESULTS) -> dict[tuple[str, int], np.ndarray]:
    """Each run's samples, ``{(tip, seed): images (n, 28, 28, 1) in [0, 1]}``."""
    return {(tip, int(seed)): images for (tip, seed), images in _results.load_samples(path).items()}
