"""A GAN on a ring of Gaussians, and what its discriminator says about each mode.

The toy run of chapter 2 (and of its benchmark, ``benchmarks/ring_gan_seeds.py``): a
non-saturating GAN of two small MLPs on eight Gaussians on a circle, with the generator's
learning rate as the one setting that changes. :func:`train` trains it, :func:`report`
measures it, and :func:`load_results` reads the shipped multi-seed results.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import keras
import numpy as np

from aegan_tf import config, data
from aegan_tf._validation import check_number, check_positive_int
from aegan_tf.book import _results
from aegan_tf.callbacks import EpochProgressBar
from aegan_tf.metrics import mode_coverage
from aegan_tf.models import GAN, build_mlp_discriminator, build_mlp_generator

RESULTS = Path(__file__).parent / "results" / "ring_gan_seeds.json"
"""The shipped results of ``benchmarks/ring_gan_seeds.py``."""

LATENT_DIM = 64
D_LEARNING_RATE = 1e-3


def train(
    points: np.ndarray,
    g_learning_rate: float,
    *,
    epochs: int,
    seed: int = 0,
    callbacks: list[keras.callbacks.Callback] | tuple = (),
    name: str = "ring GAN",
) -> GAN:
    """A non-saturating GAN on ``points`` ``(N, 2)``: MLPs of two 128-unit layers, noise of
    64 dimensions, Adam(β₁ 0.5) at ``D_LEARNING_RATE`` for D and ``g_learning_rate`` for G,
    batches of 256 shuffled with ``seed``; ``seed`` also sets the weights and the noise."""
    check_number(g_learning_rate, "g_learning_rate", low=0, above=True)
    epochs = check_positive_int(epochs, "epochs")
    config.set_seed(seed)
    gan = GAN(build_mlp_generator(LATENT_DIM, 2), build_mlp_discriminator(2), seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(D_LEARNING_RATE, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        loss="nonsaturating",
    )
    gan.fit(
        data.make_dataset(points, batch_size=256, seed=seed),
        epochs=epochs,
        verbose=0,
        callbacks=[*callbacks, EpochProgressBar(name)],
    )
    return gan


@dataclass(frozen=True)
class RingReport:
    """What :func:`report` measures (``modes`` = the number of centres)."""

    counts: list[int]
    """Samples within 3 std of each mode, ``(modes,)``."""
    covered: list[bool]
    """Whether each mode is covered (:func:`aegan_tf.metrics.mode_coverage`), ``(modes,)``."""
    good_share: float
    """Share of the samples within 3 std of some mode."""
    d_at_modes: list[float]
    """``D`` at each mode's centre, ``(modes,)``."""
    d_between: list[float]
    """``D`` on the ring halfway between neighbouring modes, ``(modes,)``; entry ``i`` lies
    between modes ``i`` and ``i + 1``."""
    d_fake: float
    """Mean ``D(G(z))`` over the samples."""

    @property
    def modes_covered(self) -> int:
        return int(sum(self.covered))


def halfway_points(centers: np.ndarray) -> np.ndarray:
    """The points on the circle of ``centers`` ``(modes, 2)`` halfway between neighbours."""
    centers = np.asarray(centers, np.float64)
    angles = np.arctan2(centers[:, 1], centers[:, 0]) + np.pi / len(centers)
    radius = np.linalg.norm(centers, axis=1).mean()
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def report(gan: GAN, centers: np.ndarray, std: float, n: int = 2000, seed: int = 1) -> RingReport:
    """Coverage of ``n`` samples (noise ``seed``) and ``D`` at the modes and between them."""
    n = check_positive_int(n, "n")
    samples = gan.generate(n, seed=seed)
    coverage = mode_coverage(samples, centers, std=std)
    return RingReport(
        counts=coverage.counts.tolist(),
        covered=coverage.covered.tolist(),
        good_share=coverage.high_quality,
        d_at_modes=gan.discriminate(np.asarray(centers, np.float32)).tolist(),
        d_between=gan.discriminate(halfway_points(centers)).tolist(),
        d_fake=float(gan.discriminate(samples).mean()),
    )


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [...]}``, each run a dict with ``g_learning_rate``,
    ``seed``, ``epochs``, ``machine``, ``date`` and the fields of :class:`RingReport`."""
    return _results.load_runs(path)


def as_record(result: RingReport) -> dict:
    """``result`` as a plain dict for the results file."""
    return asdict(result)
