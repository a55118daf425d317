"""The GAN: a generator and a discriminator, trained in turn by one ``train_step``."""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_positive_int
from aegan_tf.distribute import rows_for_this_replica
from aegan_tf.models.adversarial import (
    AdversarialModel,
    AdversarialObjective,
    adversarial_objective,
    check_one_logit,
)
from aegan_tf.models.composed import check_prior, checks_training_images, draw_noise


def _is_batch_of_vectors(shape) -> bool:
    """Whether a Keras input shape is one ``(N, D)`` batch (not several inputs' shapes)."""
    return (
        isinstance(shape, tuple)
        and len(shape) == 2
        and all(d is None or isinstance(d, int) for d in shape)
    )


@keras.saving.register_keras_serializable(package="aegan_tf")
class GAN(AdversarialModel):
    """A generator ``G: z -> x`` and a discriminator ``D: x -> logit``, trained with ``fit``.

    Each ``train_step`` takes a batch of real examples ``(B, ...)`` and makes ``d_steps``
    discriminator updates (all on that batch), then one generator update, each on fresh
    noise ``z`` from the prior (``N(0, I)``, or ``U(-1, 1)`` with ``prior="uniform"``).
    ``fit`` logs ``d_loss``, ``g_loss``, ``d_real`` and ``d_fake``: the mean
    of ``D(x)`` and ``D(G(z))`` over the batch, as probabilities (the sigmoid of the logit)
    for the ``nonsaturating`` and ``minimax`` losses, as raw outputs for the others::

        gan = GAN(build_dcgan_generator(100), build_dcgan_discriminator())
        gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        gan.fit(make_dataset(images), epochs=20)
        samples = gan.generate(16, seed=0)

    Args:
        generator: maps noise ``(N, latent_dim)`` to examples ``(N, ...)``.
        discriminator: maps examples ``(N, ...)`` to logits ``(N, 1)``.
        seed: seeds the noise drawn during training.
        prior: ``"normal"`` or ``"uniform"``, the noise ``G`` is trained on and generates from.
    """

    NETWORKS = ("generator", "discriminator")
    OPTIMIZERS: ClassVar = {"d_optimizer": ("discriminator",), "g_optimizer": ("generator",)}

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        prior: str = "normal",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        if not _is_batch_of_vectors(generator.input_shape):
            raise ValueError(
                f"generator input must be one noise batch (N, latent_dim), got "
                f"{generator.input_shape}."
            )
        if tuple(generator.output_shape[1:]) != tuple(discriminator.input_shape[1:]):
            raise ValueError(
                f"generator output shape {generator.output_shape[1:]} must equal "
                f"discriminator input shape {discriminator.input_shape[1:]}."
            )
        check_one_logit(discriminator)
        self.latent_dim = int(generator.input_shape[-1])
        self.seed = seed
        self.prior = check_prior(prior)
        self.objective: AdversarialObjective | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        g_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str | AdversarialObjective = "nonsaturating",
        d_steps: int = 1,
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the two optimizers and the game.

        Args:
            d_optimizer, g_optimizer: optimizers (or names) of D and G; they must differ.
            loss: a name of :data:`GAN_LOSSES`, or an :class:`AdversarialObjective` (then
                without the three arguments below, which it holds).
            d_steps: discriminator updates per generator update (5 is usual for WGAN-GP).
            gp_weight, r1_weight, label_smoothing: see :class:`AdversarialObjective`.
            **kwargs: ``run_eagerly``, ``jit_compile`` or ``steps_per_execution``.
        """
        objective = adversarial_objective(loss, gp_weight, r1_weight, label_smoothing)
        self.d_steps = check_positive_int(d_steps, "d_steps")
        self._compile_game(
            {"d_optimizer": d_optimizer, "g_optimizer": g_optimizer},
            objective,
            settings={"d_steps": self.d_steps},
            keras_args=kwargs,
        )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    def call(self, z, training: bool = False):
        """``G(z)``: noise ``(N, latent_dim)`` -> generated examples."""
        return self.generator(z, training=training)

    def _noise(self, batch_size) -> tf.Tensor:
        return rows_for_this_replica(
            lambda n: draw_noise((n, self.latent_dim), self.prior, self.noise_seeds), batch_size
        )

    def discriminate(self, x, batch_size: int = 1024) -> np.ndarray:
        """``D(x)`` as ``fit`` logs it, shape ``(N,)``: a probability for the ``nonsaturating``
        and ``minimax`` losses, the raw score for the others (and before ``compile``)."""
        scores = []
        for i in range(0, len(x), batch_size):
            logits = self.discriminator(x[i : i + batch_size], training=False)
            if self.objective is not None:
                logits = self.objective.shown(logits)
            scores.append(keras.ops.convert_to_numpy(logits).reshape(-1).astype(np.float32))
        return np.concatenate(scores)

    @checks_training_images("generator")
    def train_step(self, data):
        real = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        batch_size = tf.shape(real)[0]

        # 1. Discriminator: d_steps updates, G fixed.
        for _ in range(self.d_steps):
            fake = self.generator(self._noise(batch_size), training=True)
            d_loss, real_logits, fake_logits = self._update(
                "d_optimizer",
                lambda fake=fake: self.objective.discriminator_loss(
                    self.discriminator, real, fake, self._penalty_epsilon(batch_size)
                ),
            )

        # 2. Generator: one update, D fixed.
        def generator_loss():
            fake = self.generator(self._noise(batch_size), training=True)
            return self.objective.generator_loss(self.discriminator(fake, training=True))

        g_loss = self._update("g_optimizer", generator_loss)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self.objective.shown(real_logits)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self.objective.shown(fake_logits)))
        return {m.name: m.result() for m in self.metrics}

    def generate_from(self, z) -> tf.Tensor:
        """``G(z)`` for a noise batch ``(B, latent_dim)``, in inference mode."""
        return self.generator(z, training=False)

    def settings(self) -> dict:
        return {"seed": self.seed, "prior": self.prior}
