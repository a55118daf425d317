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


def generator_inputs(generator: keras.Model) -> tuple[int, int | None]:
    """``(latent_dim, n_classes)`` of a generator that takes noise ``(N, latent_dim)``
    (``n_classes`` ``None``) or, conditioned, ``[noise (N, latent_dim), one-hot labels
    (N, n_classes)]``."""
    shapes = generator.input_shape
    if _is_batch_of_vectors(shapes):
        return int(shapes[-1]), None
    if isinstance(shapes, list) and len(shapes) == 2:
        noise, labels = (tuple(s) for s in shapes)
        if _is_batch_of_vectors(noise) and _is_batch_of_vectors(labels):
            return int(noise[-1]), int(labels[-1])
    raise ValueError(
        f"generator input must be one noise batch (N, latent_dim), or [noise (N, latent_dim), "
        f"one-hot labels (N, n_classes)] for a conditional GAN; got {shapes}."
    )


def check_conditional_discriminator(discriminator: keras.Model, example_shape, n_classes) -> None:
    """A discriminator that reads what the generator makes: examples ``(N, *example_shape)``
    or, for a conditional GAN (``n_classes``), ``[examples, one-hot labels (N, n_classes)]``."""
    expected = [(None, *example_shape)]
    if n_classes is not None:
        expected.append((None, n_classes))
    got = [tuple(t.shape) for t in discriminator.inputs]
    if [s[1:] for s in got] != [s[1:] for s in expected]:
        wanted = expected[0] if n_classes is None else expected
        raise ValueError(
            f"the discriminator must take {wanted} (what the generator makes"
            f"{', with its labels' if n_classes else ''}), got {got if len(got) > 1 else got[0]}."
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

    A **conditional GAN** (Mirza & Osindero 2014) has a generator of ``[noise, one-hot labels
    (N, n_classes)]`` and a discriminator of ``[examples, one-hot labels]`` (``n_classes``
    comes from the generator); it trains on ``(examples, labels)`` batches, each fake drawn
    for the label of a real example of the batch, and ``generate(n, seed, labels=k)`` draws
    class ``k``. A gradient penalty is taken with respect to the examples only.

    Args:
        generator: maps noise ``(N, latent_dim)`` (conditional: ``[noise, labels]``) to
            examples ``(N, ...)``.
        discriminator: maps examples ``(N, ...)`` (conditional: ``[examples, labels]``) to
            logits ``(N, 1)``.
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
        self.latent_dim, self.n_classes = generator_inputs(generator)
        check_conditional_discriminator(
            discriminator, tuple(generator.output_shape[1:]), self.n_classes
        )
        check_one_logit(discriminator)
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
        return self.generator(self._generator_input(z), training=training)

    def _noise(self, batch_size) -> tf.Tensor:
        return rows_for_this_replica(
            lambda n: draw_noise((n, self.latent_dim), self.prior, self.noise_seeds), batch_size
        )

    def discriminate(self, x, batch_size: int = 1024, labels=None) -> np.ndarray:
        """``D(x)`` as ``fit`` logs it, shape ``(N,)``: a probability for the ``nonsaturating``
        and ``minimax`` losses, the raw score for the others (and before ``compile``). A
        conditional GAN's discriminator judges ``x`` as examples of ``labels`` (one class,
        or ``(N,)``), which it needs."""
        onehot = None
        if self.n_classes is not None:
            if labels is None:
                raise ValueError("a conditional GAN's discriminator needs the labels of x.")
            onehot = np.eye(self.n_classes, dtype=np.float32)[self.check_labels(labels, len(x))]
        elif labels is not None:
            self.check_labels(labels, len(x))  # (raises: this GAN has no classes)
        scores = []
        for i in range(0, len(x), batch_size):
            batch = x[i : i + batch_size]
            if onehot is not None:
                batch = [batch, onehot[i : i + batch_size]]
            logits = self.discriminator(batch, training=False)
            if self.objective is not None:
                logits = self.objective.shown(logits)
            scores.append(keras.ops.convert_to_numpy(logits).reshape(-1).astype(np.float32))
        return np.concatenate(scores)

    def _examples_and_labels(self, data) -> tuple[tf.Tensor, tf.Tensor | None]:
        """A batch's examples and, for a conditional GAN, its labels one-hot ``(B, n_classes)``
        (an unconditioned GAN ignores labels)."""
        batch = tuple(data) if isinstance(data, (tuple, list)) else (data,)
        if self.n_classes is None:
            return batch[0], None
        if len(batch) < 2:
            raise ValueError(
                "a conditional GAN trains on (examples, labels) batches; got examples alone. "
                "Pass make_dataset(images, labels=labels) to fit."
            )
        labels = tf.cast(tf.reshape(batch[1], [-1]), tf.int32)
        return batch[0], tf.one_hot(labels, self.n_classes)

    def _critic(self, labels):
        """``D`` on examples alone: for a conditional GAN, told ``labels`` (so that a gradient
        penalty is taken with respect to the examples only)."""
        if labels is None:
            return self.discriminator
        return lambda x, training=False: self.discriminator([x, labels], training=training)

    def _fake(self, batch_size, labels) -> tf.Tensor:
        z = self._noise(batch_size)
        return self.generator(z if labels is None else [z, labels], training=True)

    @checks_training_images("generator")
    def train_step(self, data):
        real, labels = self._examples_and_labels(data)
        batch_size = tf.shape(real)[0]
        critic = self._critic(labels)

        # 1. Discriminator: d_steps updates, G fixed.
        for _ in range(self.d_steps):
            fake = self._fake(batch_size, labels)
            d_loss, real_logits, fake_logits = self._update(
                "d_optimizer",
                lambda fake=fake: self.objective.discriminator_loss(
                    critic, real, fake, self._penalty_epsilon(batch_size)
                ),
            )

        # 2. Generator: one update, D fixed; fakes of the batch's labels.
        def generator_loss():
            fake = self._fake(batch_size, labels)
            return self.objective.generator_loss(critic(fake, training=True))

        g_loss = self._update("g_optimizer", generator_loss)

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self.objective.shown(real_logits)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self.objective.shown(fake_logits)))
        return {m.name: m.result() for m in self.metrics}

    def sample_noise(self, n: int, seed: int = 0, labels=None) -> np.ndarray:
        """Noise ``(n, latent_dim)`` from the prior; for a conditional GAN followed by the
        one-hot labels, ``(n, latent_dim + n_classes)`` (``labels``: one class, or ``(n,)``;
        by default uniform draws)."""
        if self.n_classes is None:
            return super().sample_noise(n, seed, labels)
        z = super().sample_noise(n, seed)
        if labels is None:
            labels = np.random.default_rng([seed, 1]).integers(self.n_classes, size=len(z))
        return self.with_labels(z, labels)

    def with_labels(self, z, labels) -> np.ndarray:
        """A conditional GAN's input for the noise ``z`` ``(n, latent_dim)`` asked for
        ``labels`` (one class, or ``(n,)``): ``(n, latent_dim + n_classes)``, the noise then
        the one-hot labels, for :meth:`generate_from`."""
        z = np.asarray(z, np.float32)
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must be noise (n, {self.latent_dim}), got shape {z.shape}.")
        labels = self.check_labels(labels, len(z))
        return np.concatenate([z, np.eye(self.n_classes, dtype=np.float32)[labels]], axis=1)

    def generate_from(self, z) -> tf.Tensor:
        """``G(z)`` for a noise batch ``(B, latent_dim)`` (conditional: followed by one-hot
        labels, as :meth:`sample_noise` gives it), in inference mode."""
        return self.generator(self._generator_input(z), training=False)

    def _generator_input(self, z):
        if self.n_classes is None:
            return z
        z = tf.convert_to_tensor(z, tf.float32)
        return [z[:, : self.latent_dim], z[:, self.latent_dim :]]

    def settings(self) -> dict:
        return {"seed": self.seed, "prior": self.prior}
