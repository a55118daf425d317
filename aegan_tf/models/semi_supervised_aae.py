"""The semi-supervised adversarial autoencoder (Makhzani et al. 2015, section 5).

The encoder gives each image a class, ``y = softmax`` of its first ``n_classes`` outputs,
and a style ``z``, the rest of its code; the decoder draws the image from ``[y, z]``. Each
``train_step`` runs the paper's three phases (its figure 8):

1. reconstruction, on a batch of images (labelled or not): the encoder and the decoder;
2. regularisation: a class discriminator learns to tell one-hot draws of a uniform
   categorical from ``y``, a style discriminator ``N(0, I)`` from ``z``; then the encoder
   learns to fool both (so ``y`` tends to one-hot vectors, ``z`` to a Gaussian);
3. semi-supervised classification: the encoder's class output minimises the cross-entropy
   on a batch of the few labelled images.

``fit`` takes ``(images, (labelled_images, labels))`` batches, which
:func:`aegan_tf.data.make_semi_supervised_dataset` makes. New images of class ``k`` are
``decoder([one_hot(k), z])``, ``z ~ N(0, I)``.
"""

from __future__ import annotations

from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf._validation import check_images, check_positive_int
from aegan_tf.distribute import rows_for_this_replica
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
    map_batches,
)

_DATA = (
    "a SemiSupervisedAAE trains on (images, (labelled_images, labels)) batches; got {}. "
    "aegan_tf.data.make_semi_supervised_dataset(images, labelled_images, labels) makes them."
)


@keras.saving.register_keras_serializable(package="aegan_tf")
class SemiSupervisedAAE(Encoding, AdversarialModel):
    """An encoder of class and style, a decoder and two discriminators, with ``compile``/``fit``.

    ::

        aae = SemiSupervisedAAE(
            build_conv_encoder(10 + 8), build_conv_decoder(10 + 8),
            build_mlp_discriminator(10), build_mlp_discriminator(8), n_classes=10)
        aae.compile()
        aae.fit(make_semi_supervised_dataset(images, labelled, labels), epochs=20)
        predicted = aae.classify(test_images)
        sevens = aae.generate(16, seed=0, labels=7)

    ``fit`` logs ``reconstruction``, ``d_loss`` (both discriminators), ``g_loss`` (the
    encoder's adversarial loss against both), ``classification`` (cross-entropy on the
    labelled batch) and ``accuracy`` (on that batch, before its update).

    Args:
        encoder: images ``(N, H, W, C)`` -> ``(N, n_classes + style_dim)``: class logits,
            then the style.
        decoder: ``(N, n_classes + style_dim)`` -> images: class probabilities, then style.
        class_discriminator: ``(N, n_classes)`` -> logits ``(N, 1)``.
        style_discriminator: ``(N, style_dim)`` -> logits ``(N, 1)``.
        n_classes: the number of classes, at least 2.
        seed: seeds the prior samples drawn during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder", "class_discriminator", "style_discriminator")
    OPTIMIZERS: ClassVar = {
        "ae_optimizer": ("encoder", "decoder"),
        "d_optimizer": ("class_discriminator", "style_discriminator"),
        "g_optimizer": ("encoder",),
        "c_optimizer": ("encoder",),
    }

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        class_discriminator: keras.Model,
        style_discriminator: keras.Model,
        n_classes: int = 10,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_networks(
            encoder=encoder,
            decoder=decoder,
            class_discriminator=class_discriminator,
            style_discriminator=style_discriminator,
        )
        self.image_shape, code_shape = check_encoder_decoder(encoder, decoder)
        n_classes = check_positive_int(n_classes, "n_classes")
        if len(code_shape) != 1 or n_classes < 2 or code_shape[0] <= n_classes:
            raise ValueError(
                f"the encoder must output (N, n_classes + style_dim) with n_classes >= 2 and "
                f"style_dim >= 1; got {encoder.output_shape} for n_classes={n_classes}."
            )
        self.latent_dim, self.n_classes = code_shape[0], n_classes
        self.style_dim = self.latent_dim - n_classes
        for role, width in (
            ("class_discriminator", n_classes),
            ("style_discriminator", self.style_dim),
        ):
            network = getattr(self, role)
            got = [tuple(t.shape[1:]) for t in network.inputs]
            if got != [(width,)]:
                raise ValueError(f"{role} must take inputs of shape ({width},), got {got}.")
            check_one_logit(network)
        self.seed = seed
        self.objective: AdversarialObjective | None = None  # set by compile
        self.noise_seeds = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("reconstruction", "d_loss", "g_loss", "classification", "accuracy")
        }

    def compile(
        self,
        ae_optimizer: keras.optimizers.Optimizer | str = "adam",
        d_optimizer: keras.optimizers.Optimizer | str = "adam",
        g_optimizer: keras.optimizers.Optimizer | str = "adam",
        c_optimizer: keras.optimizers.Optimizer | str = "adam",
        loss: str | AdversarialObjective = "nonsaturating",
        reconstruction: str = "mse",
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
        **kwargs,
    ) -> None:
        """Set the four optimizers (one per phase and player) and the losses.

        Args:
            ae_optimizer: the reconstruction phase's, on the encoder and the decoder.
            d_optimizer: the two discriminators', in the regularisation phase.
            g_optimizer: the encoder's, in the regularisation phase.
            c_optimizer: the encoder's, in the classification phase.
            loss, gp_weight, r1_weight, label_smoothing: the game's objective, as for
                :class:`~aegan_tf.models.AdversarialAutoencoder`.
            reconstruction: ``"mse"`` or ``"bce"``.
            **kwargs: ``run_eagerly``, ``jit_compile`` or ``steps_per_execution``.
        """
        objective = adversarial_objective(loss, gp_weight, r1_weight, label_smoothing)
        self.reconstruction = check_reconstruction(reconstruction, self.decoder)
        optimizers = {
            "ae_optimizer": ae_optimizer,
            "d_optimizer": d_optimizer,
            "g_optimizer": g_optimizer,
            "c_optimizer": c_optimizer,
        }
        self._compile_game(
            optimizers, objective, settings={"reconstruction": reconstruction}, keras_args=kwargs
        )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def _class_and_style(self, outputs) -> tuple[tf.Tensor, tf.Tensor]:
        """The encoder's outputs ``(N, latent_dim)`` -> class probabilities and style."""
        return tf.nn.softmax(outputs[:, : self.n_classes]), outputs[:, self.n_classes :]

    def _code(self, outputs) -> tf.Tensor:
        """The decoder's input for the encoder's outputs: class probabilities, then style."""
        return tf.concat(self._class_and_style(outputs), axis=1)

    @checks_training_images("decoder")
    def train_step(self, data):
        if not (
            isinstance(data, (tuple, list))
            and len(data) == 2
            and isinstance(data[1], (tuple, list))
            and len(data[1]) == 2
        ):
            raise ValueError(_DATA.format(type(data).__name__))
        images, (labelled, labels) = data
        check_images(images, "images", self.image_shape)
        check_images(labelled, "labelled_images", self.image_shape)
        labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
        reconstruction_loss = losses.RECONSTRUCTION_LOSSES[self.reconstruction]

        # 1. Reconstruction: encoder and decoder.
        def autoencoder_loss():
            codes = self._code(self.encoder(images, training=True))
            return tf.reduce_mean(reconstruction_loss(images, self.decoder(codes, training=True)))

        rec_loss = self._update("ae_optimizer", autoencoder_loss)

        # 2a. Regularisation, discriminators: prior draws are real, the encoder's are fake.
        batch_size = tf.shape(images)[0]
        drawn = rows_for_this_replica(
            lambda n: (
                keras.random.randint((n,), 0, self.n_classes, seed=self.noise_seeds),
                keras.random.normal((n, self.style_dim), seed=self.noise_seeds),
            ),
            batch_size,
        )
        real = (tf.one_hot(drawn[0], self.n_classes), drawn[1])
        fake = self._class_and_style(self.encoder(images, training=True))
        networks = (self.class_discriminator, self.style_discriminator)
        epsilons = (self._penalty_epsilon(batch_size), self._penalty_epsilon(batch_size))

        def discriminators_loss():
            return sum(
                self.objective.discriminator_loss(network, r, f, epsilon)[0]
                for network, r, f, epsilon in zip(networks, real, fake, epsilons, strict=True)
            )

        d_loss = self._update("d_optimizer", discriminators_loss)

        # 2b. Regularisation, encoder: its classes and styles should pass for prior draws.
        def encoder_loss():
            drawn_by_encoder = self._class_and_style(self.encoder(images, training=True))
            return sum(
                self.objective.generator_loss(network(x, training=True))
                for network, x in zip(networks, drawn_by_encoder, strict=True)
            )

        g_loss = self._update("g_optimizer", encoder_loss)

        # 3. Classification: the encoder's class logits on the labelled batch.
        def classification_loss():
            logits = self.encoder(labelled, training=True)[:, : self.n_classes]
            cross_entropy = keras.losses.sparse_categorical_crossentropy(
                labels, logits, from_logits=True
            )
            return tf.reduce_mean(cross_entropy), logits

        c_loss, logits = self._update("c_optimizer", classification_loss)
        right = tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32), labels)
        return self._log(
            {
                "reconstruction": rec_loss,
                "d_loss": d_loss,
                "g_loss": g_loss,
                "classification": c_loss,
                "accuracy": tf.reduce_mean(tf.cast(right, tf.float32)),
            }
        )

    def encode(self, images, batch_size: int = 512) -> np.ndarray:
        """The decoder's inputs ``(N, n_classes + style_dim)`` for ``images``: class
        probabilities, then style (inference mode)."""
        check_images(images, "images", self.image_shape)
        return map_batches(
            lambda x, training: self._code(self.encoder(x, training=training)),
            np.asarray(images, np.float32),
            batch_size,
        )

    def classify(self, images, batch_size: int = 512) -> np.ndarray:
        """The class ``(N,)`` (int) that the encoder gives each of ``images``."""
        return self.encode(images, batch_size)[:, : self.n_classes].argmax(axis=1)

    def sample_noise(self, n: int, seed: int = 0, labels=None) -> np.ndarray:
        """Decoder inputs ``(n, n_classes + style_dim)``: a one-hot class (``labels``: one
        class, or ``(n,)``; by default uniform draws), then a style from ``N(0, I)``."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        styles = rng.standard_normal((n, self.style_dim))
        if labels is None:
            labels = rng.integers(self.n_classes, size=n)
        labels = self.check_labels(labels, n)
        return np.concatenate([np.eye(self.n_classes)[labels], styles], 1).astype(np.float32)

    def generate_from(self, z) -> tf.Tensor:
        """``decoder(z)`` for decoder inputs ``(B, n_classes + style_dim)``, in inference mode."""
        return self.decoder(z, training=False)

    def settings(self) -> dict:
        return {"n_classes": self.n_classes, "seed": self.seed}
