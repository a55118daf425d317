"""Network builders and the models that own their training step."""

from aegan_tf.models.aae import AdversarialAutoencoder
from aegan_tf.models.adversarial import (
    GAN_LOSSES,
    AdversarialModel,
    AdversarialObjective,
)
from aegan_tf.models.autoencoder import Autoencoder
from aegan_tf.models.bigan import BiGAN
from aegan_tf.models.blocks import (
    build_conv_decoder,
    build_conv_encoder,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_dense_decoder,
    build_dense_encoder,
    build_joint_discriminator,
    build_mlp_denoiser,
    build_mlp_discriminator,
    build_mlp_generator,
    build_mlp_image_discriminator,
    build_mlp_image_encoder,
    build_mlp_image_generator,
    describe,
)
from aegan_tf.models.decoded_mixture import DecodedGaussianMixture
from aegan_tf.models.gan import GAN
from aegan_tf.models.latent_diffusion import LatentDiffusion
from aegan_tf.models.latent_gan import LatentGAN
from aegan_tf.models.semi_supervised_aae import SemiSupervisedAAE
from aegan_tf.models.vae import VAE, reparameterize
from aegan_tf.models.vaegan import VAEGAN

__all__ = [
    "GAN",
    "GAN_LOSSES",
    "VAE",
    "VAEGAN",
    "AdversarialAutoencoder",
    "AdversarialModel",
    "AdversarialObjective",
    "Autoencoder",
    "BiGAN",
    "DecodedGaussianMixture",
    "LatentDiffusion",
    "LatentGAN",
    "SemiSupervisedAAE",
    "build_conv_decoder",
    "build_conv_encoder",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_dense_decoder",
    "build_dense_encoder",
    "build_joint_discriminator",
    "build_mlp_denoiser",
    "build_mlp_discriminator",
    "build_mlp_generator",
    "build_mlp_image_discriminator",
    "build_mlp_image_encoder",
    "build_mlp_image_generator",
    "describe",
    "reparameterize",
]
