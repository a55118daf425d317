"""Small compiled models of every kind that the package trains, for the tests that run each
(resilience, multi-device): seconds per epoch on a few dozen digits. Each is the ``"small"``
size of its recipe (:mod:`aegan_tf.recipes`)."""

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import data, recipes

CODE = recipes.SMALL_CODE_DIM
RECIPES = {
    "autoencoder": ("autoencoder", {}),
    "vae": ("VAE", {}),
    "gan": ("DCGAN", {}),
    "wgan_gp": ("DCGAN", {"loss": "wgan-gp", "d_steps": 2}),
    "latent_gan": ("latent GAN", {}),
    "aae": ("AAE", {}),
    "vaegan": ("VAE-GAN", {}),
    "bigan": ("BiGAN", {}),
    "semi_supervised_aae": ("semi-supervised AAE", {}),
}
"""Each small model by name: its recipe and the options that differ from the recipe's."""
MODELS = list(RECIPES)


def adam() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(1e-3)


def build_small_model(
    name: str,
    autoencoder,
    images,
    seed: int = 0,
    optimizer=adam,
    dropout: float = 0.3,
    jit_compile: bool | str = "auto",
) -> keras.Model:
    """A small compiled model of kind ``name`` (one of :data:`MODELS`); ``seed`` sets its
    initial weights, ``optimizer()`` makes each of its optimizers, ``dropout`` is that of the
    VAE-GAN's and BiGAN's discriminators, ``jit_compile`` goes to ``compile`` (``True``: the
    XLA path a GPU takes by default). A latent GAN is built on the trained ``autoencoder``,
    adapted to ``images``."""
    recipe, options = RECIPES[name]
    options = {**options, "optimizer": optimizer}
    if "dropout" in recipes.options(recipe, "small"):
        options["dropout"] = dropout
    if name == "latent_gan":
        return recipes.build_next(
            recipe, autoencoder, images, seed, "small", jit_compile, **options
        )
    return recipes.build(recipe, seed, "small", jit_compile, **options)


def small_batches(name: str | None, images, batch_size: int) -> tf.data.Dataset:
    """The batches that model ``name`` trains on, in the same order every epoch: the images;
    for the semi-supervised AAE each batch beside a labelled batch (the same images, labelled
    0 to 9 in turn)."""
    unlabelled = data.make_dataset(images, batch_size, shuffle=False)  # (autotuning off)
    if name != "semi_supervised_aae":
        return unlabelled
    labels = np.arange(len(images)) % 10
    labelled = data.make_dataset(images, batch_size, shuffle=False, labels=labels)
    return tf.data.Dataset.zip((unlabelled, labelled))
