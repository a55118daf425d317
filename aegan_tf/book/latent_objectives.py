"""Which GAN objective works on an autoencoder's codes, over several seeds.

:func:`build_autoencoder` makes chapter 5's autoencoder and :func:`build` its latent GAN with
one of :data:`OBJECTIVES`; ``benchmarks/latent_objectives.py`` trains the autoencoder and each
objective for its epochs with several seeds and ships the reports, which :func:`load_results`
reads back. The benchmark's run with seed ``s`` is chapter 5's run with ``AEGAN_SEED=s``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aegan_tf import recipes
from aegan_tf.book import _results
from aegan_tf.models import Autoencoder, LatentGAN

RESULTS = Path(__file__).parent / "results" / "latent_objectives.json"
"""The shipped results of ``benchmarks/latent_objectives.py``."""

CODE_DIM = recipes.AUTOENCODER_CODE_DIM
AUTOENCODER_EPOCHS = 10

OBJECTIVES: dict[str, dict] = {
    "non-saturating": {"loss": "nonsaturating", "d_steps": 1, "epochs": 50},
    "WGAN-GP": {"loss": "wgan-gp", "d_steps": 5, "epochs": 20},
    "WGAN-GP, the paper's Adam": {
        "loss": "wgan-gp", "d_steps": 5, "epochs": 20,
        "learning_rate": 1e-4, "beta_1": 0.0, "beta_2": 0.9,
    },
}  # fmt: skip
"""Each objective by name: its loss, critic steps per generator step, training epochs (about
the same seconds for the first two) and Adam's settings where they differ from the book's
(learning rate 1e-3, β₁ 0.5, β₂ 0.999, for each player). The third is Gulrajani et al.'s Adam."""


def build_autoencoder(
    code_dim: int = CODE_DIM, seed: int = 0, learning_rate: float = 2e-3
) -> Autoencoder:
    """Chapter 5's convolutional autoencoder (codes of ``code_dim``), compiled with
    Adam(``learning_rate``) and the mean squared error (the first phase of the recipe
    ``"latent GAN"`` of :mod:`aegan_tf.recipes`); ``seed`` sets its initial weights."""
    return recipes.build("latent GAN", seed, code_dim=code_dim, learning_rate=learning_rate)


def build(
    autoencoder: Autoencoder,
    images: np.ndarray,
    objective: str = "WGAN-GP",
    seed: int = 0,
    ema_momentum: float | None = None,
) -> LatentGAN:
    """Chapter 5's latent GAN (the second phase of the recipe ``"latent GAN"``: MLPs of 256,
    256 units on the codes of a trained ``autoencoder``), adapted to ``images``
    ``(N, 28, 28, 1)`` and compiled with ``objective`` (a key of :data:`OBJECTIVES`); ``seed``
    sets its initial weights and noise. ``ema_momentum``: the generator's optimizer averages
    its weights (Keras's ``use_ema``)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {list(OBJECTIVES)}, got {objective!r}.")
    settings = {k: v for k, v in OBJECTIVES[objective].items() if k != "epochs"}
    return recipes.build_next(
        "latent GAN", autoencoder, images, seed, ema_momentum=ema_momentum, **settings
    )


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [...]}``, each run a dict with ``objective``, ``seed``,
    ``epochs``, ``machine``, ``date``, ``fid_curve`` (per epoch, NaN where not measured) and
    ``report``: :func:`aegan_tf.metrics.sample_report` of 1,000 samples against the training
    digits (chapter 5's table row); the autoencoder's reconstructions of the test digits are
    the run with objective ``"autoencoder reconstructions"``."""
    return _results.load_runs(path)
