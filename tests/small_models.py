"""Small compiled models of every kind that the package trains, for the tests that run each
(resilience, multi-device): seconds per epoch on a few dozen digits."""

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import data, losses
from aegan_tf.models import (
    GAN,
    VAE,
    VAEGAN,
    AdversarialAutoencoder,
    Autoencoder,
    BiGAN,
    LatentGAN,
    SemiSupervisedAAE,
    build_conv_decoder,
    build_conv_encoder,
    build_dcgan_discriminator,
    build_dense_decoder,
    build_dense_encoder,
    build_joint_discriminator,
    build_mlp_discriminator,
    build_mlp_generator,
)

CODE = 4
MODELS = [
    "autoencoder", "vae", "gan", "wgan_gp", "latent_gan", "aae", "vaegan", "bigan",
    "semi_supervised_aae",
]  # fmt: skip


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
    keras.utils.set_random_seed(seed)
    if name == "autoencoder":
        model = Autoencoder(
            build_dense_encoder(CODE, hidden_units=(32,)),
            build_dense_decoder(CODE, hidden_units=(32,)),
        )
        model.compile(optimizer(), loss=losses.mse_reconstruction_loss, jit_compile=jit_compile)
    elif name == "vae":
        model = VAE(
            build_dense_encoder(2 * CODE, hidden_units=(32,)),
            build_dense_decoder(CODE, hidden_units=(32,)),
            seed=0,
        )
        model.compile(optimizer(), jit_compile=jit_compile)
    elif name in ("gan", "wgan_gp"):
        generator = build_mlp_generator(CODE, 784, (32,))
        model = GAN(
            keras.Sequential([generator, keras.layers.Reshape((28, 28, 1))]),
            keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              build_mlp_discriminator(784, (32,))]),
            seed=0,
        )  # fmt: skip
        game = {"loss": "wgan-gp", "d_steps": 2} if name == "wgan_gp" else {}
        model.compile(optimizer(), optimizer(), jit_compile=jit_compile, **game)
    elif name == "latent_gan":
        model = LatentGAN.from_autoencoder(
            autoencoder,
            build_mlp_generator(3, autoencoder.latent_dim, (16,)),
            build_mlp_discriminator(autoencoder.latent_dim, (16,)),
            seed=0,
        )
        model.adapt(images)
        model.compile(optimizer(), optimizer(), jit_compile=jit_compile)
    elif name == "aae":
        model = AdversarialAutoencoder(
            build_dense_encoder(CODE, hidden_units=(32,)),
            build_dense_decoder(CODE, hidden_units=(32,)),
            build_mlp_discriminator(CODE, (16,)),
            seed=0,
        )
        model.compile(optimizer(), optimizer(), optimizer(), jit_compile=jit_compile)
    elif name == "semi_supervised_aae":
        model = SemiSupervisedAAE(
            build_dense_encoder(10 + CODE, hidden_units=(32,)),
            build_dense_decoder(10 + CODE, hidden_units=(32,)),
            build_mlp_discriminator(10, (16,)),
            build_mlp_discriminator(CODE, (16,)),
            seed=0,
        )
        model.compile(*(optimizer() for _ in range(4)), jit_compile=jit_compile)
    elif name == "vaegan":
        model = VAEGAN(
            build_conv_encoder(2 * CODE, filters=(4, 8)),
            build_conv_decoder(CODE, filters=(8, 4)),
            build_dcgan_discriminator(filters=(4, 8), dropout=dropout),  # its seeds are state
            seed=0,
        )
        model.compile(optimizer(), optimizer(), optimizer(), jit_compile=jit_compile)
    else:
        model = BiGAN(
            build_conv_encoder(CODE, filters=(4, 8)),
            build_conv_decoder(CODE, filters=(8, 4)),
            build_joint_discriminator(CODE, filters=(4, 8), hidden_units=(16,), dropout=dropout),
            seed=0,
        )
        model.compile(optimizer(), optimizer(), jit_compile=jit_compile)
    return model


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
