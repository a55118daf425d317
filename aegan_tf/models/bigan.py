"""BiGAN / ALI (Donahue et al. 2016, "Adversarial Feature Learning"; Dumoulin et al. 2016,
"Adversarially Learned Inference").

A generator ``G: z -> x`` and an encoder ``E: x -> z`` never see each other's outputs as
targets: a discriminator on pairs tells ``(x, E(x))`` (real image, inferred code) from
``(G(z), z)`` (generated image, its noise). At the game's optimum the two joint
distributions are equal, which forces ``E = G⁻¹`` (Donahue et al., theorem 2): an encoder
learned without any reconstruction loss.
"""

from __future__ import annotations

from typing import ClassVar

import keras
import tensorflow as tf

from aegan_tf._validation import check_images
from aegan_tf.distribute import rows_for_this_replica
from aegan_tf.models.adversarial import (
    AdversarialModel,
    AdversarialObjective,
    adversarial_objective,
    check_one_logit,
)
from aegan_tf.models.composed import Encoding, check_prior, checks_training_images, draw_noise


def check_bigan_networks(
    encoder: keras.Model, generator: keras.Model, discriminator: keras.Model
) -> tuple[tuple, int]:
    """Check that ``E`` and ``G`` mirror each other and that ``D`` takes ``[x, z]``; return
    ``(image_shape, latent_dim)``."""
    image_shape = tuple(encoder.input_shape[1:])
    code_shape = tuple(encoder.output_shape[1:])
    if len(code_shape) != 1:
        raise ValueError(f"encoder must output codes (N, latent_dim), got {encoder.output_shape}.")
    if tuple(generator.input_shape[1:]) != code_shape:
        raise ValueError(
            f"generator input {generator.input_shape[1:]} must equal the encoder's output "
            f"{code_shape}: E and G map between the same two spaces."
        )
    if tuple(generator.output_shape[1:]) != image_shape:
        raise ValueError(
            f"generator output {generator.output_shape[1:]} must equal the encoder's input "
            f"{image_shape}."
        )
    got = [tuple(t.shape[1:]) for t in discriminator.inputs]
    if got != [image_shape, code_shape]:
        raise ValueError(
            f"the discriminator must take [images {image_shape}, codes {code_shape}], got "
            f"inputs of shapes {got}; see build_joint_discriminator."
        )
    check_one_logit(discriminator)
    return image_shape, code_shape[0]


@keras.saving.register_keras_serializable(package="aegan_tf")
class BiGAN(Encoding, AdversarialModel):
    """An encoder, a generator and a joint discriminator, trained with ``compile``/``fit``.

    ::

        bigan = BiGAN(build_conv_encoder(32), build_conv_decoder(32),
                      build_joint_discriminator(32))
        bigan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5),
                      keras.optimizers.Adam(2e-4, beta_1=0.5))
        bigan.fit(make_dataset(images), epochs=20)

    Each ``train_step`` updates the discriminator on ``(x, E(x))`` (real) against
    ``(G(z), z)`` (fake), then ``E`` and ``G`` together on the same loss with the labels
    swapped (:meth:`AdversarialObjective.swapped_loss`). ``fit`` logs ``d_loss``, ``g_loss``
    (the encoder's and generator's), ``d_real`` and ``d_fake``.

    Args:
        encoder: images ``(N, H, W, C)`` -> codes ``(N, latent_dim)``.
        generator: noise ``(N, latent_dim)`` -> images ``(N, H, W, C)``.
        discriminator: ``[images, codes]`` -> logits ``(N, 1)``.
        seed: seeds the noise drawn during training.
        prior: ``"normal"`` (``N(0, I)``) or ``"uniform"`` (``U(-1, 1)`` in every unit, as
            Donahue et al.; give the encoder a ``tanh`` output, so that its codes can lie
            where the noise does).
    """

    NETWORKS: ClassVar = ("encoder", "generator", "discriminator")
    OPTIMIZERS: ClassVar = {
        "d_optimizer": ("discriminator",),
        "g_optimizer": ("generator", "encoder"),
    }

    def __init__(
        self,
        encoder: keras.Model,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        prior: str = "normal",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, generator=generator, discriminator=discriminator)
        self.image_shape, self.latent_dim = check_bigan_networks(encoder, generator, discriminator)
        self.seed = seed
        self.prior = check_prior(prior)
        self.objective: AdversarialObjective | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")
        }

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        g_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str | AdversarialObjective = "nonsaturating",
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the discriminator's optimizer, the one of ``E`` and ``G`` together, and the game.

        Args:
            d_optimizer, g_optimizer: optimizers (or names); they must differ.
            loss: a name of :data:`~aegan_tf.models.GAN_LOSSES` or an ``AdversarialObjective``.
            gp_weight, r1_weight, label_smoothing: see ``AdversarialObjective``; penalties
                act on both inputs of the pair.
            **kwargs: ``run_eagerly``, ``jit_compile`` or ``steps_per_execution``.
        """
        objective = adversarial_objective(loss, gp_weight, r1_weight, label_smoothing)
        self._compile_game(
            {"d_optimizer": d_optimizer, "g_optimizer": g_optimizer},
            objective,
            settings={},
            keras_args=kwargs,
        )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def _pairs(self, images, training: bool = True):
        """``(x, E(x))`` and ``(G(z), z)`` for a batch of images and fresh noise."""
        z = rows_for_this_replica(
            lambda n: draw_noise((n, self.latent_dim), self.prior, self.noise_seeds),
            tf.shape(images)[0],
        )
        real = (images, self.encoder(images, training=training))
        fake = (self.generator(z, training=training), z)
        return real, fake

    @checks_training_images("generator")
    def train_step(self, data):
        images = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        check_images(images, "images", self.image_shape)

        # 1. Discriminator: (x, E(x)) is real, (G(z), z) is fake; E and G fixed.
        real, fake = self._pairs(images)
        d_loss, real_logits, fake_logits = self._update(
            "d_optimizer",
            lambda: self.objective.discriminator_loss(
                self.discriminator, real, fake, self._penalty_epsilon(tf.shape(images)[0])
            ),
        )

        # 2. Encoder and generator together: the same game with the labels swapped.
        def encoder_generator_loss():
            real, fake = self._pairs(images)
            return self.objective.swapped_loss(
                self.discriminator(real, training=True), self.discriminator(fake, training=True)
            )

        g_loss = self._update("g_optimizer", encoder_generator_loss)

        return self._log(
            {
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": tf.reduce_mean(self.objective.shown(real_logits)),
                "d_fake": tf.reduce_mean(self.objective.shown(fake_logits)),
            }
        )

    def generate_from(self, z) -> tf.Tensor:
        """``G(z)`` for noise ``(B, latent_dim)``, in inference mode; ``reconstruct`` gives
        ``G(E(x))``, how well ``G`` inverts ``E``."""
        return self.generator(z, training=False)

    def settings(self) -> dict:
        return {"seed": self.seed, "prior": self.prior}
