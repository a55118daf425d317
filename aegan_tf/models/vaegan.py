"""The VAE-GAN (Larsen et al. 2016, "Autoencoding beyond pixels using a learned similarity
metric").

A VAE whose decoder is also a GAN's generator. The reconstruction is measured in the
discriminator's feature space (``Dis_l``, one of its hidden layers) instead of pixels. Each
``train_step`` is the paper's algorithm 1: one forward pass, then three simultaneous updates,

- encoder:       ``β KL(q(z|x) || N(0, I)) + L_llike``
- decoder:       ``γ L_llike + L_GAN,G``      (on reconstructions ``x̃`` and samples ``x_p``)
- discriminator: ``L_GAN,D``                   (real ``x`` against ``x̃`` and ``x_p``)

with ``L_llike = 1/2 ||Dis_l(x) - Dis_l(x̃)||²``
(:func:`aegan_tf.losses.feature_reconstruction_loss`).
"""

from __future__ import annotations

from typing import ClassVar

import keras
import tensorflow as tf

from aegan_tf import losses
from aegan_tf._validation import check_images
from aegan_tf.distribute import rows_for_this_replica
from aegan_tf.models.adversarial import (
    AdversarialModel,
    AdversarialObjective,
    _check_weight,
    adversarial_objective,
    check_one_logit,
)
from aegan_tf.models.composed import checks_training_images
from aegan_tf.models.vae import (
    VariationalCodes,
    check_vae_networks,
    reparameterize,
    split_posterior,
)

_NOISE_LAYERS = (  # (SpatialDropout* are Dropout layers)
    keras.layers.Dropout,
    keras.layers.GaussianDropout,
    keras.layers.GaussianNoise,
    keras.layers.AlphaDropout,
)


@keras.saving.register_keras_serializable(package="aegan_tf")
class VAEGAN(VariationalCodes, AdversarialModel):
    """An encoder, a decoder (the generator) and a discriminator, trained with ``fit``.

    ::

        vaegan = VAEGAN(build_conv_encoder(2 * 16), build_conv_decoder(16),
                        build_dcgan_discriminator())
        vaegan.compile(feature_weight=1e-2)
        vaegan.fit(make_dataset(images), epochs=20)

    ``fit`` logs ``kl``, ``feature_loss`` (``L_llike``), ``d_loss``, ``g_loss`` (the decoder's
    adversarial loss), ``d_real`` and ``d_fake`` (the mean of ``D`` on reconstructions and
    samples together).

    Args:
        encoder: images ``(N, H, W, C)`` -> ``[μ, log σ²]`` ``(N, 2 latent_dim)``.
        decoder: codes ``(N, latent_dim)`` -> images ``(N, H, W, C)``.
        discriminator: images -> logits ``(N, 1)``, a functional model.
        feature_layer: the name of the discriminator's layer whose output is ``Dis_l``;
            ``None`` takes the layer before the last.
        seed: seeds the reparameterisation noise and the prior samples during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder", "discriminator")
    OPTIMIZERS: ClassVar = {
        "encoder_optimizer": ("encoder",),
        "decoder_optimizer": ("decoder",),
        "d_optimizer": ("discriminator",),
    }

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        discriminator: keras.Model,
        feature_layer: str | None = None,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(encoder=encoder, decoder=decoder, discriminator=discriminator)
        self.image_shape, self.latent_dim = check_vae_networks(encoder, decoder)
        if tuple(discriminator.input_shape[1:]) != self.image_shape:
            raise ValueError(
                f"discriminator input shape {discriminator.input_shape[1:]} must equal the "
                f"image shape {self.image_shape}."
            )
        check_one_logit(discriminator)
        if feature_layer is None:
            feature_layer = discriminator.layers[-2].name
        names = [layer.name for layer in discriminator.layers[1:-1]]
        if feature_layer not in names:
            raise ValueError(
                f"feature_layer must name a hidden layer of the discriminator, one of {names}; "
                f"got {feature_layer!r}."
            )
        self.feature_layer, self.seed = feature_layer, seed
        self.features_and_logits = keras.Model(
            discriminator.inputs,
            [discriminator.get_layer(feature_layer).output, discriminator.outputs[0]],
            name="discriminator_features",
        )
        # Dropout (or noise) before Dis_l makes the features of one image differ from pass to
        # pass: L_llike then compares features computed without it (see feature_loss).
        upto = discriminator.layers[1 : names.index(feature_layer) + 2]  # (past the input)
        self._noisy_features = any(
            isinstance(layer, _NOISE_LAYERS)
            and (getattr(layer, "rate", 0) > 0 or getattr(layer, "stddev", 0) > 0)
            for layer in upto
        )
        self.objective: AdversarialObjective | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("kl", "feature_loss", "d_loss", "g_loss", "d_real", "d_fake")
        }

    def compile(
        self,
        encoder_optimizer: keras.optimizers.Optimizer | str = "adam",
        decoder_optimizer: keras.optimizers.Optimizer | str = "adam",
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str | AdversarialObjective = "nonsaturating",
        kl_weight: float = 1.0,
        feature_weight: float = 1e-2,
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the three optimizers and the weights of the terms.

        Args:
            encoder_optimizer, decoder_optimizer, d_optimizer: one per network.
            loss: a name of :data:`~aegan_tf.models.GAN_LOSSES` or an ``AdversarialObjective``.
            kl_weight: ``β``, the KL term's weight in the encoder's loss.
            feature_weight: ``γ``, the weight of ``L_llike`` in the decoder's loss against the
                GAN term (the paper's "content" against "style").
            gp_weight, r1_weight, label_smoothing: see ``AdversarialObjective``.
            **kwargs: ``run_eagerly``, ``jit_compile`` or ``steps_per_execution``.
        """
        objective = adversarial_objective(loss, gp_weight, r1_weight, label_smoothing)
        self.kl_weight = _check_weight(kl_weight, "kl_weight")
        self.feature_weight = _check_weight(feature_weight, "feature_weight")
        self._compile_game(
            {
                "encoder_optimizer": encoder_optimizer,
                "decoder_optimizer": decoder_optimizer,
                "d_optimizer": d_optimizer,
            },
            objective,
            settings={"kl_weight": self.kl_weight, "feature_weight": self.feature_weight},
            keras_args=kwargs,
        )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def feature_loss(self, images, reconstructed) -> tf.Tensor:
        """``L_llike``, the batch mean of ``1/2 ||Dis_l(x) - Dis_l(x̃)||²`` for ``images`` and
        their ``reconstructed`` images ``(N, H, W, C)``, with the discriminator in inference
        mode: with dropout before ``Dis_l``, two passes of the same image give different
        features, and the loss would not be 0 for a perfect reconstruction. (Without such
        dropout, training takes the features from the game's own pass: the same values.)"""
        real_features, _ = self.features_and_logits(images, training=False)
        fake_features, _ = self.features_and_logits(reconstructed, training=False)
        return tf.reduce_mean(losses.feature_reconstruction_loss(real_features, fake_features))

    @checks_training_images("decoder")
    def train_step(self, data):
        images = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        check_images(images, "images", self.image_shape)
        batch_size = tf.shape(images)[0]

        def game():
            # One forward pass (Larsen et al., algorithm 1).
            mean, log_var = split_posterior(self.encoder(images, training=True))
            kl = tf.reduce_mean(losses.kl_to_standard_normal(mean, log_var))
            reconstructed = self.decoder(
                reparameterize(mean, log_var, self.noise_seeds), training=True
            )
            sampled = self.decoder(
                rows_for_this_replica(
                    lambda n: keras.random.normal((n, self.latent_dim), seed=self.noise_seeds),
                    batch_size,
                ),
                training=True,
            )
            real_features, real_logits = self.features_and_logits(images, training=True)
            fakes = tf.concat([reconstructed, sampled], axis=0)  # x̃ and x_p together
            fake_features, fake_logits = self.features_and_logits(fakes, training=True)
            if self._noisy_features:
                feature_loss = self.feature_loss(images, reconstructed)
            else:  # the game's own pass gives the features
                feature_loss = tf.reduce_mean(
                    losses.feature_reconstruction_loss(real_features, fake_features[:batch_size])
                )
            d_loss = self.objective.logits_loss(real_logits, fake_logits)
            d_loss += self.objective.penalty(
                self.discriminator, images, fakes[:batch_size], self._penalty_epsilon(batch_size)
            )
            g_loss = self.objective.generator_loss(fake_logits)
            return {
                "encoder_optimizer": self.kl_weight * kl + feature_loss,
                "decoder_optimizer": self.feature_weight * feature_loss + g_loss,
                "d_optimizer": d_loss,
            }, {
                "kl": kl,
                "feature_loss": feature_loss,
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": tf.reduce_mean(self.objective.shown(real_logits)),
                "d_fake": tf.reduce_mean(self.objective.shown(fake_logits)),
            }

        return self._log(self._update_together(game))

    def settings(self) -> dict:
        return {"feature_layer": self.feature_layer, "seed": self.seed}
