"""Two GAN training tips put to the test on chapter 3's DCGAN, over several seeds.

:func:`build` makes chapter 3's DCGAN (compiled, with one setting changed or none);
``benchmarks/dcgan_tips.py`` trains each of :data:`TIPS` for a few epochs with several seeds
and ships the curves, FIDs and samples, which :func:`load_results` and :func:`load_samples`
read back.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from aegan_tf import _results, config
from aegan_tf._validation import check_number
from aegan_tf.models import GAN, build_dcgan_discriminator, build_dcgan_generator

RESULTS = Path(__file__).parent / "results" / "dcgan_tips.json"
"""The shipped results of ``benchmarks/dcgan_tips.py``; the samples lie beside it (``.npz``)."""

LATENT_DIM = 100
LEARNING_RATE = 2e-4  # the DCGAN paper's, for both players, with beta_1 = 0.5

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
    """Chapter 3's DCGAN, compiled: generator filters (128, 64, 32) from 100-d noise,
    discriminator filters (64, 128), non-saturating loss, Adam(β₁ 0.5) at the given rates.
    ``seed`` sets the initial weights (generator first) and the noise of training."""
    for name, rate in (("d_learning_rate", d_learning_rate), ("g_learning_rate", g_learning_rate)):
        check_number(rate, name, low=0, above=True)
    config.set_seed(seed)
    gan = GAN(
        build_dcgan_generator(LATENT_DIM, filters=(128, 64, 32)),
        build_dcgan_discriminator(filters=(64, 128)),
        seed=seed,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        loss="nonsaturating",
        label_smoothing=label_smoothing,
    )
    return gan


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
