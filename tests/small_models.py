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
    "latent_diffusion": ("latent diffusion", {}),
    "aae": ("AAE", {}),
    "vaegan": ("VAE-GAN", {}),
    "bigan": ("BiGAN", {}),
    "semi_supervised_aae": ("semi-supervised AAE", {}),
}
"""Each small model by name: its recipe and the options that differ from the recipe's."""
MODELS = list(RECIPES)
VARIANTS = {
    "dcgan": ("DCGAN", {"convolutional": True}),
    "conditional_aae": ("AAE", {"conditional": True}),
    "conditional_dcgan": ("DCGAN", {"convolutional": True, "conditional": True}),
}
"""Three more, for the multi-device test: a GAN whose generator has batch normalisation, an
AAE and a GAN with labels in each batch."""


def trained_autoencoder(images) -> keras.Model:
    """The small autoencoder (4-number codes), trained 10 epochs of Adam(1e-2) on ``images``
    (MSE about 0.05; the mean image: 0.065), so that a latent GAN's ``adapt`` accepts it."""
    autoencoder = recipes.build(
        "autoencoder", 0, "small", optimizer=lambda: keras.optimizers.Adam(1e-2)
    )
    autoencoder.fit(images, batch_size=32, epochs=10, verbose=0)
    return autoencoder


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
    """A small compiled model of kind ``name`` (of :data:`MODELS` or :data:`VARIANTS`);
    ``seed`` sets its initial weights, ``optimizer()`` makes each of its optimizers,
    ``dropout`` is that of the discriminators that have dropout (the VAE-GAN's, the BiGAN's,
    the convolutional GAN's), ``jit_compile`` goes to ``compile`` (``True``: the XLA path a
    GPU takes by default). A latent GAN is built on the trained ``autoencoder``, adapted to
    ``images``."""
    recipe, options = {**RECIPES, **VARIANTS}[name]
    options = {**options, "optimizer": optimizer}
    if "dropout" in recipes.options(recipe, "small"):
        options["dropout"] = dropout
    if len(recipes.recipe(recipe).phases) == 2:
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
