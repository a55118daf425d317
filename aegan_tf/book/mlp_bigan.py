"""Chapter 8's BiGAN on flattened digits, after Donahue et al.'s permutation-invariant MNIST
model, and the latent-regressor baseline of their section 4, measured over seeds.

:func:`build` makes the BiGAN (the recipe ``"MLP BiGAN"`` of :mod:`aegan_tf.recipes`):
multilayer perceptrons of 1024 units (:func:`aegan_tf.models.build_mlp_image_encoder`,
``build_mlp_image_generator`` and ``build_mlp_image_discriminator``), 50-number
codes with the uniform prior ``U(-1, 1)``, Adam(2e-4, β₁ 0.5) for both sides, and an R1
penalty on the discriminator (Mescheder et al. 2018), without which the discriminator wins
early here. :func:`build_gan` is the same generator in a plain GAN, whose encoder
:func:`fit_latent_regressor` then trains to give back the noise: ``E(G(z)) ≈ z``.
:func:`inversion_scores` measures an encoder and generator pair; ``benchmarks/mlp_bigan.py``
trains both models with several seeds and ships the scores, which :func:`load_results`
reads back.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import config, metrics, recipes
from aegan_tf.book import _results
from aegan_tf.models import GAN, BiGAN, build_mlp_image_encoder

RESULTS = Path(__file__).parent / "results" / "mlp_bigan.json"
"""The shipped results of ``benchmarks/mlp_bigan.py``."""

CODE_DIM = recipes.MLP_BIGAN_CODE_DIM
HIDDEN_UNITS = 1024
BATCH_SIZE = 128
R1_WEIGHT = recipes.options("MLP BiGAN")["r1_weight"]
EPOCHS = 50
"""The benchmark's epochs over the 4,000 training digits (1,600 steps of 128)."""
IMAGE_SHAPE = (28, 28, 1)


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images ``(N, 28, 28, 1)`` in [0, 1] -> codes ``(N, code_dim)`` in (-1, 1)
    (:func:`aegan_tf.models.build_mlp_image_encoder`)."""
    return build_mlp_image_encoder(code_dim, IMAGE_SHAPE, HIDDEN_UNITS)


def build(seed: int = 0, r1_weight: float = R1_WEIGHT) -> BiGAN:
    """The chapter's BiGAN (the recipe ``"MLP BiGAN"`` of :mod:`aegan_tf.recipes`), compiled;
    ``seed`` sets the initial weights and the noise."""
    return recipes.build("MLP BiGAN", seed, r1_weight=r1_weight)


def build_gan(seed: int = 0) -> GAN:
    """The latent regressor's GAN: :func:`build`'s generator and its discriminator without
    the code input, the same prior, optimizers and R1 penalty."""
    return recipes.build("MLP BiGAN", seed, r1_weight=R1_WEIGHT, with_encoder=False)


def fit_latent_regressor(
    generator: keras.Model, steps: int, seed: int = 0, batch_size: int = BATCH_SIZE
) -> keras.Model:
    """An encoder (:func:`build_encoder`) trained to give back the noise of generated images
    (Donahue et al. 2016, section 4, "latent regressor"): ``steps`` steps of :func:`build`'s
    Adam on the mean squared error of ``E(G(z))`` against fresh ``z ~ U(-1, 1)``, with
    ``generator`` fixed. Then, the weights fixed, 500 more batches re-estimate its batch
    normalisation's statistics (moving averages of momentum 0.99, which lag behind
    weights that moved)."""
    config.set_seed(seed)
    encoder = build_encoder(int(generator.input_shape[-1]))
    optimizer = keras.optimizers.Adam(**recipes.MLP_BIGAN_ADAM)
    noise = keras.random.SeedGenerator(seed)

    def pairs():
        z = keras.random.uniform((batch_size, encoder.output_shape[-1]), -1.0, 1.0, seed=noise)
        return generator(z, training=False), z

    @tf.function
    def step():
        images, z = pairs()
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(encoder(images, training=True) - z))
        gradients = tape.gradient(loss, encoder.trainable_variables)
        optimizer.apply_gradients(zip(gradients, encoder.trainable_variables, strict=True))

    @tf.function
    def update_statistics():
        encoder(pairs()[0], training=True)  # moves only the moving averages

    for _ in range(steps):
        step()
    for _ in range(500):
        update_statistics()
    return encoder


def inversion_scores(encode, generate_from, x_train, y_train, x_test, y_test) -> dict[str, float]:
    """How well an encoder and a generator invert each other, and what the codes know.

    ``encode(images) -> codes`` and ``generate_from(codes) -> images`` in [0, 1];
    ``x_train`` ``(N, 28, 28, 1)`` and ``x_test`` ``(M, 28, 28, 1)`` in [0, 1] with their
    labels. Returns ``same_class``: the share of test digits whose ``G(E(x))`` the package's
    classifier gives the class it gives ``x``; ``nearest_neighbour``: the share of test codes
    whose nearest training code has the test digit's label (Donahue et al.'s measure);
    ``pixel_mse``: the mean squared error of ``G(E(x))``.
    """
    codes_test = encode(x_test)
    reconstructions = np.asarray(generate_from(codes_test))
    classes = metrics.class_probabilities(x_test, (0.0, 1.0)).argmax(1)
    classes_again = metrics.class_probabilities(reconstructions, (0.0, 1.0)).argmax(1)
    nearest = metrics.nearest_neighbour_accuracy(encode(x_train), y_train, codes_test, y_test)
    return {
        "same_class": float(np.mean(classes == classes_again)),
        "nearest_neighbour": nearest,
        "pixel_mse": float(np.mean((reconstructions - x_test) ** 2)),
    }


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [...]}``, each run a dict with ``method``, ``seed``,
    ``epochs``, ``steps``, the scores of :func:`inversion_scores`, ``seconds``, ``machine``
    and ``date``."""
    return _results.load_runs(path)
