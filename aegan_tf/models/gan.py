"""The GAN: a generator and a discriminator, trained in turn by one ``train_step``."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf._validation import check_positive_int
from aegan_tf.models.composed import ComposedModel

GAN_LOSSES: dict[str, tuple[Callable, Callable]] = {
    "nonsaturating": (losses.minimax_discriminator_loss, losses.nonsaturating_generator_loss),
    "minimax": (losses.minimax_discriminator_loss, losses.minimax_generator_loss),
    "lsgan": (losses.least_squares_discriminator_loss, losses.least_squares_generator_loss),
    "hinge": (losses.hinge_discriminator_loss, losses.hinge_generator_loss),
    "wgan-gp": (losses.wasserstein_critic_loss, losses.wasserstein_generator_loss),
}
"""Loss name -> (discriminator loss, generator loss). ``wgan-gp`` adds the gradient penalty."""

_PROBABILITY_LOSSES = ("nonsaturating", "minimax")  # D's output is a logit of a probability


@keras.saving.register_keras_serializable(package="aegan_tf")
class GAN(ComposedModel):
    """A generator ``G: z -> x`` and a discriminator ``D: x -> logit``, trained with ``fit``.

    Each ``train_step`` takes a batch of real examples ``(B, ...)`` and makes ``d_steps``
    discriminator updates (all on that batch), then one generator update, each on fresh
    noise ``z ~ N(0, I)``. ``fit`` logs ``d_loss``, ``g_loss``, ``d_real`` and ``d_fake``: the mean
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
    """

    NETWORKS = ("generator", "discriminator")

    def __init__(
        self, generator: keras.Model, discriminator: keras.Model, seed: int | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(generator=generator, discriminator=discriminator)
        if len(generator.input_shape) != 2:
            raise ValueError(
                f"generator input must be noise (N, latent_dim), got {generator.input_shape}."
            )
        if tuple(generator.output_shape[1:]) != tuple(discriminator.input_shape[1:]):
            raise ValueError(
                f"generator output shape {generator.output_shape[1:]} must equal "
                f"discriminator input shape {discriminator.input_shape[1:]}."
            )
        if tuple(discriminator.output_shape[1:]) not in ((1,), ()):
            raise ValueError(
                f"discriminator must output one logit per example, (N, 1); got "
                f"{discriminator.output_shape}."
            )
        self.latent_dim = int(generator.input_shape[-1])
        self.seed = seed
        self.loss_name: str | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        g_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str = "nonsaturating",
        d_steps: int = 1,
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the two optimizers and the game.

        Args:
            d_optimizer, g_optimizer: optimizers (or names) of D and G; they must differ.
            loss: one of :data:`GAN_LOSSES`.
            d_steps: discriminator updates per generator update (5 is usual for WGAN-GP).
            gp_weight: weight λ of :func:`aegan_tf.losses.gradient_penalty`; ``None`` means
                10 for ``wgan-gp`` and 0 otherwise.
            r1_weight: weight of :func:`aegan_tf.losses.r1_penalty` (γ; 0 turns it off).
            label_smoothing: one-sided label smoothing of real examples, for the
                ``nonsaturating`` and ``minimax`` losses only.
            **kwargs: passed to ``keras.Model.compile`` (``run_eagerly``, ``jit_compile``...).
        """
        if loss not in GAN_LOSSES:
            raise ValueError(f"Unknown GAN loss {loss!r}; choose one of {tuple(GAN_LOSSES)}.")
        d_steps = check_positive_int(d_steps, "d_steps")
        gp_weight = (10.0 if loss == "wgan-gp" else 0.0) if gp_weight is None else gp_weight
        for name, value in (("gp_weight", gp_weight), ("r1_weight", r1_weight)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a number >= 0, got {value!r}.")
        if label_smoothing and loss not in _PROBABILITY_LOSSES:
            raise ValueError(
                f"label_smoothing applies to the {_PROBABILITY_LOSSES} losses, not {loss!r}."
            )
        d_optimizer = keras.optimizers.get(d_optimizer)
        g_optimizer = keras.optimizers.get(g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError("d_optimizer and g_optimizer must be two optimizer objects.")
        if keras.config.dtype_policy().name == "mixed_float16":
            d_optimizer, g_optimizer = (
                opt if isinstance(opt, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(opt)
                for opt in (d_optimizer, g_optimizer)
            )  # fmt: skip
        super().compile(optimizer=None, **kwargs)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.loss_name = loss
        self.d_loss_fn, self.g_loss_fn = GAN_LOSSES[loss]
        self.d_steps = d_steps
        self.gp_weight = float(gp_weight)
        self.r1_weight = float(r1_weight)
        self.label_smoothing = float(label_smoothing)
        self._compile_args = {
            "loss": loss, "d_steps": d_steps, "gp_weight": self.gp_weight,
            "r1_weight": self.r1_weight, "label_smoothing": self.label_smoothing,
        }  # fmt: skip

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    def call(self, z, training: bool = False):
        """``G(z)``: noise ``(N, latent_dim)`` -> generated examples."""
        return self.generator(z, training=training)

    def _noise(self, batch_size) -> tf.Tensor:
        return keras.random.normal((batch_size, self.latent_dim), seed=self.noise_seeds)

    def _discriminator_loss(self, real, fake):
        real_logits = self.discriminator(real, training=True)
        fake_logits = self.discriminator(fake, training=True)
        if self.loss_name in _PROBABILITY_LOSSES:
            d_loss = self.d_loss_fn(real_logits, fake_logits, self.label_smoothing)
        else:
            d_loss = self.d_loss_fn(real_logits, fake_logits)
        if self.gp_weight:
            d_loss += self.gp_weight * losses.gradient_penalty(self.discriminator, real, fake)
        if self.r1_weight:
            d_loss += self.r1_weight * losses.r1_penalty(self.discriminator, real)
        return d_loss, real_logits, fake_logits

    def _shown(self, logits):
        logits = tf.cast(logits, tf.float32)
        return tf.sigmoid(logits) if self.loss_name in _PROBABILITY_LOSSES else logits

    def discriminate(self, x, batch_size: int = 1024) -> np.ndarray:
        """``D(x)`` as ``fit`` logs it, shape ``(N,)``: a probability for the ``nonsaturating``
        and ``minimax`` losses, the raw score for the others (and before ``compile``)."""
        scores = []
        for i in range(0, len(x), batch_size):
            logits = self.discriminator(x[i : i + batch_size], training=False)
            scores.append(keras.ops.convert_to_numpy(self._shown(logits)).reshape(-1))
        return np.concatenate(scores)

    def train_step(self, data):
        real = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        batch_size = tf.shape(real)[0]

        # 1. Discriminator: d_steps updates, G fixed.
        for _ in range(self.d_steps):
            fake = self.generator(self._noise(batch_size), training=True)
            with tf.GradientTape() as tape:
                d_loss, real_logits, fake_logits = self._discriminator_loss(real, fake)
                scaled = self.d_optimizer.scale_loss(d_loss)
            grads = tape.gradient(scaled, self.discriminator.trainable_weights)
            self.d_optimizer.apply(grads, self.discriminator.trainable_weights)

        # 2. Generator: one update, D fixed.
        with tf.GradientTape() as tape:
            fake = self.generator(self._noise(batch_size), training=True)
            g_loss = self.g_loss_fn(self.discriminator(fake, training=True))
            scaled = self.g_optimizer.scale_loss(g_loss)
        grads = tape.gradient(scaled, self.generator.trainable_weights)
        self.g_optimizer.apply(grads, self.generator.trainable_weights)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self._shown(real_logits)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self._shown(fake_logits)))
        return {m.name: m.result() for m in self.metrics}

    def sample_noise(self, n: int, seed: int = 0) -> np.ndarray:
        """Noise ``(n, latent_dim)`` from ``N(0, I)``, the same for the same ``seed`` anywhere."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        return rng.standard_normal((n, self.latent_dim)).astype(np.float32)

    def generate(self, n: int, seed: int = 0, batch_size: int = 256) -> np.ndarray:
        """``n`` generated examples ``(n, ...)`` for the noise of :meth:`sample_noise`."""
        z = self.sample_noise(n, seed)
        return np.concatenate(
            [keras.ops.convert_to_numpy(self.generator(z[i : i + batch_size], training=False))
             for i in range(0, n, batch_size)]
        )  # fmt: skip

    def settings(self) -> dict:
        return {"seed": self.seed}

    def get_compile_config(self) -> dict:
        """What ``compile`` was given, so that ``load_model`` can compile again and resume."""
        if not getattr(self, "compiled", False):
            return {}
        return {
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            **self._compile_args,
        }

    def compile_from_config(self, config: dict) -> None:
        config = dict(config)
        for name in ("d_optimizer", "g_optimizer"):
            config[name] = keras.saving.deserialize_keras_object(config[name])
        self.compile(**config)
        # Build the optimizers now, so that their saved state (moments, step) can be loaded.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
