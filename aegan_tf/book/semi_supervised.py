"""Chapter 6's semi-supervised adversarial autoencoder against its baselines, over seeds.

:func:`choose_labelled` picks the few labelled digits, :func:`build` makes the chapter's
:class:`~aegan_tf.models.SemiSupervisedAAE` (or, with ``game=False``, the same model whose
regularisation game does not move: reconstruction and classification only) and
:func:`build_classifier` the supervised baseline, the same encoder trained on the labelled
digits alone. ``benchmarks/semi_supervised.py`` trains them with several seeds and ships
the test accuracies, which :func:`load_results` reads back.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from aegan_tf import config, recipes
from aegan_tf.book import _results
from aegan_tf.models import SemiSupervisedAAE, build_conv_encoder

RESULTS = Path(__file__).parent / "results" / "semi_supervised.json"
"""The shipped results of ``benchmarks/semi_supervised.py``."""

N_CLASSES = recipes.SEMI_SUPERVISED_CLASSES
STYLE_DIM = recipes.SEMI_SUPERVISED_STYLE_DIM
LABELS_PER_CLASS = 10
BATCH_SIZE = 64
EPOCHS = 5
RATES = {
    phase: recipes.options("semi-supervised AAE")[f"{phase}_rate"]
    for phase in ("reconstruction", "game", "classification")
}
"""Adam's learning rates per phase; the game's two players also use β₁ = 0.5."""


def choose_labelled(labels: np.ndarray, per_class: int = LABELS_PER_CLASS, seed: int = 0):
    """Indices ``(per_class * n_classes,)`` of the digits whose labels the model may see:
    ``per_class`` of each class in ``labels`` ``(N,)``, drawn without replacement with
    ``seed``."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    chosen = []
    for k in np.unique(labels):
        members = np.flatnonzero(labels == k)
        if len(members) < per_class:
            raise ValueError(f"class {k} has {len(members)} examples, fewer than {per_class}.")
        chosen.append(rng.choice(members, per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def _encoder() -> keras.Model:
    return build_conv_encoder(N_CLASSES + STYLE_DIM)


def build(seed: int = 0, game: bool = True) -> SemiSupervisedAAE:
    """The chapter's semi-supervised AAE on 28x28 digits in [0, 1] (the recipe
    ``"semi-supervised AAE"`` of :mod:`aegan_tf.recipes`): chapter 5's convolutional encoder
    and decoder with 10 class outputs and a style of :data:`STYLE_DIM`, MLP discriminators
    of 256, 256 units, compiled with :data:`RATES`. ``game=False``: the game's learning rates
    are 0, so neither the discriminators nor the encoder move in that phase (the ablation).
    ``seed`` sets the initial weights and draws."""
    return recipes.build("semi-supervised AAE", seed, game_rate=RATES["game"] if game else 0.0)


def build_classifier(seed: int = 0) -> keras.Model:
    """The supervised baseline: :func:`build`'s encoder, its first 10 outputs read as class
    logits, compiled with Adam(:data:`RATES` ``["classification"]``) and the cross-entropy."""
    config.set_seed(seed)
    encoder = _encoder()
    logits = keras.layers.Lambda(lambda codes: codes[:, :N_CLASSES], name="class_logits")
    classifier = keras.Sequential([encoder, logits], name="supervised_classifier")
    classifier.compile(
        keras.optimizers.Adam(RATES["classification"]),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return classifier


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [...]}``, each run a dict with ``method``, ``seed``,
    ``labels`` (how many labelled digits), ``accuracy`` (on the 1,000 test digits),
    ``steps``, ``machine`` and ``date``."""
    return _results.load_runs(path)
