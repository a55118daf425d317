"""Chapter 11's benchmark: which conditional GAN draws the digit it is asked for, over seeds.

``benchmarks/conditional_gans.py`` calls :func:`train_models` (chapter 11's models, from their
recipes, trained as the chapter trains them) and :func:`measure` for each seed; chapter 11
reads the shipped results with :func:`load_results`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from aegan_tf import data, metrics, recipes
from aegan_tf._validation import check_digit_labels, check_images, check_positive_int
from aegan_tf.book import _results, latent_objectives
from aegan_tf.models.composed import GenerativeModel

RESULTS = Path(__file__).parent / "results" / "conditional_gans.json"
"""The runs of ``benchmarks/conditional_gans.py``, shipped with the package."""

AUTOENCODER_EPOCHS = latent_objectives.AUTOENCODER_EPOCHS  # chapter 5's, as in chapter 11
GAN_EPOCHS = 20  # the conditional latent GAN's, on the codes encoded once (chapter 11)
DCGAN_EPOCHS = 10  # the conditional DCGAN's (chapter 11)
SAMPLES_PER_DIGIT = 200

MODELS = {
    "conditional latent GAN, projection": "projection",
    "conditional latent GAN, concatenation": "concatenate",
    "conditional DCGAN": None,
}
"""The benchmark's models: chapter 11's two, and its latent GAN with the other
discriminator (``conditioning`` of the recipe; ``None``: the DCGAN, which projects)."""


def train_models(
    images: np.ndarray, labels: np.ndarray, seed: int = 0
) -> dict[str, tuple[GenerativeModel, float]]:
    """Every model of :data:`MODELS`, trained with ``seed`` on ``images`` ``(N, 28, 28, 1)``
    in [0, 1] and their digits ``labels`` ``(N,)``, as chapter 11 trains them (its run with
    ``AEGAN_SEED=seed``): both latent GANs on one autoencoder. Returns ``{name: (model,
    training seconds)}``; the autoencoder's seconds count in both latent GANs'."""
    check_images(images, "images", (28, 28, 1))
    labels = check_digit_labels(labels, len(images), "labels")

    def batches(examples):
        return data.make_dataset(examples, batch_size=64, seed=seed, labels=labels)

    start = time.perf_counter()
    autoencoder = recipes.build("conditional latent GAN", seed)
    autoencoder.fit(
        data.make_dataset(images, batch_size=64, seed=seed),
        epochs=AUTOENCODER_EPOCHS,
        verbose=0,
    )
    autoencoder_seconds = time.perf_counter() - start
    trained = {}
    for name, conditioning in MODELS.items():
        start = time.perf_counter()
        if conditioning is None:
            model = recipes.build("conditional DCGAN", seed)
            model.fit(batches(2 * images - 1), epochs=DCGAN_EPOCHS, verbose=0)
            trained[name] = (model, time.perf_counter() - start)
            continue
        model = recipes.build_next(
            "conditional latent GAN", autoencoder, images, seed, conditioning=conditioning
        )
        model.fit(batches(model.encode(images)), epochs=GAN_EPOCHS, verbose=0)
        trained[name] = (model, autoencoder_seconds + time.perf_counter() - start)
    return trained


def measure(
    model: GenerativeModel,
    value_range: tuple[float, float],
    train_images: np.ndarray,
    train_labels: np.ndarray,
    seed: int = 1,
    per_digit: int = SAMPLES_PER_DIGIT,
) -> dict[str, object]:
    """``per_digit`` samples asked for each digit (noise from ``seed``), in the model's
    ``value_range``: the share read as the digit asked for (:func:`aegan_tf.metrics.
    asked_class_accuracy`: ``asked-digit accuracy``, its mean over digits; ``by digit``),
    the intra-class KID x 1000 against that digit's training images (in [0, 1]; mean, worst
    and ``by digit``), and chapter 4's report of all samples, shuffled."""
    per_digit = check_positive_int(per_digit, "per_digit")
    asked = np.repeat(np.arange(10), per_digit)
    low, high = value_range
    images = (model.generate(len(asked), seed=seed, labels=asked) - low) / (high - low)
    accuracy = metrics.asked_class_accuracy(images, asked, (0.0, 1.0))
    train_features = metrics.extract_features(train_images, (0.0, 1.0))  # once for both
    kid = 1000 * metrics.intra_class_kid(
        images, asked, train_features, train_labels, (0.0, 1.0), subset_size=per_digit
    )
    order = np.random.default_rng(0).permutation(len(images))  # the report's splits: mixed
    report = metrics.sample_report(
        images[order], train_images, (0.0, 1.0), train_features=train_features
    )
    return {
        "asked-digit accuracy": float(np.mean(accuracy)),
        "worst digit accuracy": float(np.min(accuracy)),
        "accuracy by digit": accuracy.tolist(),
        "intra-class KID x 1000": float(np.mean(kid)),
        "worst intra-class KID x 1000": float(np.max(kid)),
        "intra-class KID x 1000 by digit": kid.tolist(),
        **{key: float(value) for key, value in report.items()},
    }


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [one dict per (model, seed)]}``, each with ``model``,
    ``seed``, ``training seconds``, :func:`measure`'s keys, ``machine`` and ``date``."""
    return _results.load_runs(path)
