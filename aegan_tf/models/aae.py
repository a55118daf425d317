"""The adversarial autoencoder (Makhzani et al. 2015, "Adversarial Autoencoders").

An autoencoder whose codes are pushed toward a chosen prior ``p(z)`` by a discriminator on
codes. Each ``train_step`` runs the paper's two phases on one batch:

1. reconstruction: the encoder and the decoder minimise the reconstruction error;
2. regularisation: (a) the discriminator learns to tell prior samples ``z ~ p(z)`` (real)
   from codes ``E(x)`` (fake); (b) the encoder, acting as the generator, learns to fool it.

New images are then ``decoder(z)``, ``z ~ p(z)``.
"""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf._validation import check_images, check_positive_int
from aegan_tf.distribute import place_in_global_batch, rows_for_this_replica
from aegan_tf.models.adversarial import (
    AdversarialModel,
    AdversarialObjective,
    adversarial_objective,
    check_one_logit,
)
from aegan_tf.models.autoencoder import check_encoder_decoder
from aegan_tf.models.composed import (
    Encoding,
    check_reconstruction,
    checks_training_images,
)
from aegan_tf.priors import GaussianMixturePrior, GaussianPrior


@keras.saving.register_keras_serializable(package="aegan_tf")
class AdversarialAutoencoder(Encoding, AdversarialModel):
    """An encoder, a decoder and a discriminator on codes, trained with ``compile``/``fit``.

    ::

        aae = AdversarialAutoencoder(
            build_conv_encoder(8), build_conv_decoder(8), build_mlp_discriminator(8),
            prior=GaussianMixturePrior(8, n_components=10))
        aae.compile()
        aae.fit(make_dataset(images), epochs=20)
        images = aae.generate(16, seed=0)

    ``fit`` logs ``reconstruction`` (the phase-1 loss), ``d_loss``, ``g_loss`` (the encoder's
    adversarial loss), and ``d_real``/``d_fake``: the discriminator's mean output on prior
    samples and on codes.

    Args:
        encoder: images ``(N, H, W, C)`` -> codes ``(N, code_dim)``.
        decoder: codes ``(N, code_dim)`` -> images ``(N, H, W, C)``.
        discriminator: codes ``(N, code_dim)`` -> logits ``(N, 1)``; if ``conditional``, it
            takes ``[codes, one-hot labels (N, n_components)]`` (build it with
            ``build_mlp_discriminator(code_dim, condition_dim=n_components)``).
        prior: a :class:`~aegan_tf.priors.GaussianMixturePrior` (or
            :class:`~aegan_tf.priors.GaussianPrior`) of dimension ``code_dim``; the default is
            ``N(0, I)``.
        conditional: the paper's label-regularised variant (its section 2.3): ``fit`` takes
            ``(images, labels)``, codes of class ``k`` are matched to the prior's component
            ``k``, and the discriminator sees the label.
        seed: seeds the prior samples drawn during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder", "discriminator")
    OPTIMIZERS: ClassVar = {
        "ae_optimizer": ("encoder", "decoder"),
        "d_optimizer": ("discriminator",),
        "g_optimizer": ("encoder",),
    }

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        discriminator: keras.Model,
        prior: GaussianMixturePrior | None = None,
        conditional: bool = False,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, decoder=decoder, discriminator=discriminator)
        self.image_shape, code_shape = check_encoder_decoder(encoder, decoder)
        if len(code_shape) != 1:
            raise ValueError(
                f"encoder must output codes (N, code_dim), got {encoder.output_shape}."
            )
        self.latent_dim = code_shape[0]
        prior = GaussianPrior(self.latent_dim) if prior is None else prior
        if not isinstance(prior, GaussianMixturePrior):
            raise TypeError(
                "prior must be a GaussianPrior or GaussianMixturePrior, got "
                f"{type(prior).__name__}."
            )
        if prior.dim != self.latent_dim:
            raise ValueError(
                f"the prior's dimension ({prior.dim}) must equal the code size "
                f"({self.latent_dim}), the encoder's output."
            )
        if not isinstance(conditional, bool):
            raise TypeError(f"conditional must be True or False, got {conditional!r}.")
        if conditional and prior.n_components < 2:
            raise ValueError(
                "a conditional AAE matches class k to the prior's component k: give it a "
                "GaussianMixturePrior with one component per class."
            )
        expected = (
            [(self.latent_dim,), (prior.n_components,)] if conditional else [(self.latent_dim,)]
        )
        got = [tuple(shape[1:]) for shape in _input_shapes(discriminator)]
        if got != expected:
            what = "[codes, one-hot labels]" if conditional else "codes"
            raise ValueError(
                f"the discriminator must take {what} of shapes {expected}, got inputs of "
                f"shapes {got}."
            )
        check_one_logit(discriminator)
        self.prior, self.conditional, self.seed = prior, conditional, seed
        self.objective: AdversarialObjective | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("reconstruction", "d_loss", "g_loss", "d_real", "d_fake")
        }

    def compile(
        self,
        ae_optimizer: keras.optimizers.Optimizer | str = "adam",
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        g_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str | AdversarialObjective = "nonsaturating",
        reconstruction: str = "mse",
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the three optimizers (one per phase) and the losses.

        Args:
            ae_optimizer: the reconstruction phase's, on the encoder and the decoder.
            d_optimizer: the discriminator's, in the regularisation phase.
            g_optimizer: the encoder's, in the regularisation phase (the paper's generator).
            loss: a name of :data:`~aegan_tf.models.GAN_LOSSES` or an
                :class:`~aegan_tf.models.AdversarialObjective`.
            reconstruction: ``"mse"`` or ``"bce"`` (:data:`aegan_tf.losses.RECONSTRUCTION_LOSSES`).
            gp_weight, r1_weight, label_smoothing: see ``AdversarialObjective``.
            **kwargs: ``run_eagerly``, ``jit_compile`` or ``steps_per_execution``.
        """
        objective = adversarial_objective(loss, gp_weight, r1_weight, label_smoothing)
        self.reconstruction = check_reconstruction(reconstruction, self.decoder)
        self._compile_game(
            {"ae_optimizer": ae_optimizer, "d_optimizer": d_optimizer, "g_optimizer": g_optimizer},
            objective,
            settings={"reconstruction": reconstruction},
            keras_args=kwargs,
        )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def _discriminator_input(self, codes, components):
        if not self.conditional:
            return codes
        return (codes, tf.one_hot(components, self.prior.n_components, dtype=codes.dtype))

    @checks_training_images("decoder")
    def train_step(self, data):
        if self.conditional:
            if not isinstance(data, (tuple, list)) or len(data) < 2:
                raise ValueError(
                    "a conditional AdversarialAutoencoder trains on (images, labels) batches; "
                    "got images alone. Pass make_dataset(images, labels=labels) to fit."
                )
            images, labels = data[0], tf.cast(tf.reshape(data[1], [-1]), tf.int32)
        else:
            images, labels = (data[0] if isinstance(data, (tuple, list)) else data), None
        check_images(images, "images", self.image_shape)
        reconstruction_loss = losses.RECONSTRUCTION_LOSSES[self.reconstruction]

        # 1. Reconstruction phase: encoder and decoder.
        def autoencoder_loss():
            reconstructed = self.decoder(self.encoder(images, training=True), training=True)
            return tf.reduce_mean(reconstruction_loss(images, reconstructed))

        rec_loss = self._update("ae_optimizer", autoencoder_loss)

        # 2a. Regularisation phase, discriminator: prior samples are real, codes are fake.
        batch_size = tf.shape(images)[0]
        if labels is not None:  # at this replica's rows of the global batch
            labels = place_in_global_batch(labels, batch_size)
        prior_codes, components = rows_for_this_replica(
            lambda n: self.prior.sample(n, self.noise_seeds, components=labels), batch_size
        )
        real = self._discriminator_input(prior_codes, components)
        fake = self._discriminator_input(self.encoder(images, training=True), components)
        d_loss, real_logits, fake_logits = self._update(
            "d_optimizer",
            lambda: self.objective.discriminator_loss(
                self.discriminator, real, fake, self._penalty_epsilon(batch_size)
            ),
        )

        # 2b. Regularisation phase, encoder: make its codes pass for prior samples.
        def encoder_loss():
            codes = self._discriminator_input(self.encoder(images, training=True), components)
            return self.objective.generator_loss(self.discriminator(codes, training=True))

        g_loss = self._update("g_optimizer", encoder_loss)

        return self._log(
            {
                "reconstruction": rec_loss,
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": tf.reduce_mean(self.objective.shown(real_logits)),
                "d_fake": tf.reduce_mean(self.objective.shown(fake_logits)),
            }
        )

    @property
    def n_classes(self) -> int | None:
        """A conditional model's classes: its prior's components; ``None`` otherwise."""
        return self.prior.n_components if self.conditional else None

    def sample_noise(self, n: int, seed: int = 0, labels=None, components=None) -> np.ndarray:
        """Prior samples ``(n, code_dim)``. ``labels`` (one class, or ``(n,)``) asks a
        conditional model for those classes; ``components`` ``(n,)`` picks each sample's
        component of a mixture prior (for a conditional model, the same as ``labels``)."""
        n = check_positive_int(n, "n")
        if labels is not None:
            if components is not None:
                raise ValueError("give labels or components, not both.")
            components = self.check_labels(labels, n)
        codes, _ = self.prior.sample(n, seed, components=components)
        return keras.ops.convert_to_numpy(codes).astype(np.float32)

    def generate_from(self, z) -> tf.Tensor:
        """``decoder(z)`` for codes ``(B, code_dim)``, in inference mode."""
        return self.decoder(z, training=False)

    def settings(self) -> dict:
        return {
            "prior": keras.saving.serialize_keras_object(self.prior),
            "conditional": self.conditional,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["prior"] = keras.saving.deserialize_keras_object(config["prior"])
        return super().from_config(config)


def _input_shapes(net: keras.Model) -> list[tuple]:
    """A network's input shapes as a list, whether it has one input or several."""
    return [tuple(t.shape) for t in net.inputs]
