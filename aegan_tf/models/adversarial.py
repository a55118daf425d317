"""The adversarial core that every model playing a game shares (GAN, latent GAN, ...).

- :class:`AdversarialObjective`: the game's loss pair, one-sided label smoothing and the
  gradient penalties; checked when it is made, saved with the model, and indifferent to how
  many inputs the discriminator takes.
- :class:`AdversarialModel`: a model of named sub-networks with **named optimizers**, each
  updating named networks; it wraps them for loss scaling under ``mixed_float16``, builds
  them at ``compile`` (so that ``load_model`` and ``BackupAndRestore`` restore their state),
  round-trips ``compile`` through the saved model, ends ``fit`` with each optimizer's
  moving average of the weights where it keeps one (``use_ema=True``, as Keras does for its
  one optimizer), and refuses the Keras entry points that have no meaning for a game. Its
  subclasses implement the generative contract, ``generate(n, seed) -> examples``, which is
  all the callbacks use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import losses
from aegan_tf.distribute import rows_for_this_replica, share_of_global_loss
from aegan_tf.models.composed import GenerativeModel

GAN_LOSSES: dict[str, tuple[Callable, Callable]] = {
    "nonsaturating": (losses.minimax_discriminator_loss, losses.nonsaturating_generator_loss),
    "minimax": (losses.minimax_discriminator_loss, losses.minimax_generator_loss),
    "lsgan": (losses.least_squares_discriminator_loss, losses.least_squares_generator_loss),
    "hinge": (losses.hinge_discriminator_loss, losses.wasserstein_generator_loss),
    "wgan-gp": (losses.wasserstein_critic_loss, losses.wasserstein_generator_loss),
}
"""Loss name -> (discriminator loss, generator loss). ``wgan-gp`` adds the gradient penalty."""

PROBABILITY_LOSSES = ("nonsaturating", "minimax")
"""The losses whose discriminator output is the logit of a probability."""


def _check_weight(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r}).")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="aegan_tf")
class AdversarialObjective:
    """What the discriminator and the generator minimise.

    Args:
        loss: one of :data:`GAN_LOSSES`.
        gp_weight: weight λ of :func:`aegan_tf.losses.gradient_penalty`; ``None`` means 10
            for ``wgan-gp`` (Gulrajani et al. 2017) and 0 otherwise.
        r1_weight: weight γ of :func:`aegan_tf.losses.r1_penalty` (0 turns it off).
        label_smoothing: one-sided label smoothing ``s`` in [0, 1): real examples get the
            target ``1 - s`` (Salimans et al. 2016); for the ``nonsaturating`` and ``minimax``
            losses only.

    The discriminator's inputs ``real`` and ``fake`` are one tensor each, or tuples of
    tensors for a discriminator of several inputs.
    """

    def __init__(
        self,
        loss: str = "nonsaturating",
        gp_weight: float | None = None,
        r1_weight: float = 0.0,
        label_smoothing: float = 0.0,
    ) -> None:
        if loss not in GAN_LOSSES:
            raise ValueError(f"Unknown GAN loss {loss!r}; choose one of {tuple(GAN_LOSSES)}.")
        self.loss = loss
        self.gp_weight = (
            (10.0 if loss == "wgan-gp" else 0.0)
            if gp_weight is None
            else _check_weight(gp_weight, "gp_weight")
        )
        self.r1_weight = _check_weight(r1_weight, "r1_weight")
        smoothing = _check_weight(label_smoothing, "label_smoothing")
        if smoothing >= 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing!r}.")
        if smoothing and loss not in PROBABILITY_LOSSES:
            raise ValueError(
                f"label_smoothing applies to the {PROBABILITY_LOSSES} losses, not {loss!r}."
            )
        self.label_smoothing = smoothing
        self._d_loss, self._g_loss = GAN_LOSSES[loss]

    @property
    def gives_probabilities(self) -> bool:
        """Whether the discriminator's output is the logit of a probability."""
        return self.loss in PROBABILITY_LOSSES

    def discriminator_loss(self, discriminator, real, fake, epsilon=None) -> tuple[tf.Tensor, ...]:
        """``(loss, real_logits, fake_logits)`` for one discriminator update, penalties included
        (``epsilon``: see :meth:`penalty`)."""
        real_logits = discriminator(real, training=True)
        fake_logits = discriminator(fake, training=True)
        loss = self.logits_loss(real_logits, fake_logits)
        return loss + self.penalty(discriminator, real, fake, epsilon), real_logits, fake_logits

    def logits_loss(self, real_logits, fake_logits) -> tf.Tensor:
        """The discriminator's loss from its outputs, without the penalties."""
        if self.gives_probabilities:
            return self._d_loss(real_logits, fake_logits, self.label_smoothing)
        return self._d_loss(real_logits, fake_logits)

    def penalty(self, discriminator, real, fake, epsilon=None) -> tf.Tensor | float:
        """The weighted gradient penalties (0 when both weights are 0). ``epsilon`` ``(N,)``:
        the gradient penalty's interpolation weights, drawn by the model from its own saved
        noise generator so that a resumed run draws the same (``None``: an unseeded draw)."""
        total = 0.0
        if self.gp_weight:
            total += self.gp_weight * losses.gradient_penalty(
                discriminator, real, fake, epsilon=epsilon
            )
        if self.r1_weight:
            total += self.r1_weight * losses.r1_penalty(discriminator, real)
        return total

    def swapped_loss(self, real_logits, fake_logits) -> tf.Tensor:
        """The discriminator's loss with real and fake swapped, no smoothing: what two players
        who both feed the discriminator (BiGAN's encoder and generator) minimise together.

        For the ``nonsaturating`` and ``minimax`` losses it is the non-saturating form
        ``-E[log(1 - D(real))] - E[log D(fake)]`` (Donahue et al. 2016, section 3.4).
        """
        if self.gives_probabilities:
            return losses.minimax_discriminator_loss(fake_logits, real_logits)
        return self._d_loss(fake_logits, real_logits)

    def generator_loss(self, fake_logits) -> tf.Tensor:
        """The generator's loss from the discriminator's outputs on its samples."""
        return self._g_loss(fake_logits)

    def shown(self, logits) -> tf.Tensor:
        """``D``'s output as logged: a probability (sigmoid) or, for the other losses, raw."""
        logits = tf.cast(logits, tf.float32)
        return tf.sigmoid(logits) if self.gives_probabilities else logits

    def get_config(self) -> dict:
        return {
            "loss": self.loss,
            "gp_weight": self.gp_weight,
            "r1_weight": self.r1_weight,
            "label_smoothing": self.label_smoothing,
        }

    @classmethod
    def from_config(cls, config: dict) -> AdversarialObjective:
        return cls(**config)

    def __eq__(self, other) -> bool:
        return isinstance(other, AdversarialObjective) and self.get_config() == other.get_config()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"AdversarialObjective({args})"


def adversarial_objective(
    loss: str | AdversarialObjective,
    gp_weight: float | None = None,
    r1_weight: float = 0.0,
    label_smoothing: float = 0.0,
) -> AdversarialObjective:
    """``loss`` itself if it is an objective (then the other arguments must keep their
    defaults), else the objective they describe."""
    if not isinstance(loss, AdversarialObjective):
        return AdversarialObjective(loss, gp_weight, r1_weight, label_smoothing)
    if (gp_weight, r1_weight, label_smoothing) != (None, 0.0, 0.0):
        raise ValueError(
            "Give the penalties and smoothing either to the AdversarialObjective or to "
            f"compile, not both (got {loss!r} and gp_weight={gp_weight!r}, "
            f"r1_weight={r1_weight!r}, label_smoothing={label_smoothing!r})."
        )
    return loss


def check_one_logit(discriminator: keras.Model) -> None:
    """Raise a ``ValueError`` unless ``discriminator`` outputs one logit per example, ``(N, 1)``."""
    if tuple(discriminator.output_shape[1:]) not in ((1,), ()):
        raise ValueError(
            "discriminator must output one logit per example, (N, 1); got "
            f"{discriminator.output_shape}."
        )


_KERAS_COMPILE_ARGS = ("run_eagerly", "jit_compile", "steps_per_execution")


class AdversarialModel(GenerativeModel):
    """A model of named networks trained by named optimizers, each updating named networks.

    Subclasses set ``OPTIMIZERS``, for example
    ``{"d_optimizer": ("discriminator",), "g_optimizer": ("generator",)}``; their ``compile``
    calls :meth:`_compile_game` and their ``train_step`` calls :meth:`_update` once per
    phase. ``compile`` must accept every key it records (the optimizers by name, ``loss``
    for the objective, its own settings), so that ``load_model`` can compile again.
    """

    OPTIMIZERS: ClassVar[dict[str, tuple[str, ...]]] = {}

    def _compile_game(
        self, optimizers: dict, objective: AdversarialObjective, settings: dict, keras_args: dict
    ) -> None:
        """Set the named optimizers, the objective and the subclass's ``settings``."""
        unsupported = sorted(set(keras_args) - set(_KERAS_COMPILE_ARGS))
        if unsupported:
            raise TypeError(
                f"{type(self).__name__}.compile() does not take {unsupported}: the model "
                f"logs its own metrics ({self._metric_names()}), and the quality of its samples "
                "is measured by aegan_tf.callbacks.QualityMetrics or aegan_tf.metrics. Of "
                f"Keras's own arguments it takes {_KERAS_COMPILE_ARGS}."
            )
        if set(optimizers) != set(self.OPTIMIZERS):
            raise TypeError(
                f"need the optimizers {tuple(self.OPTIMIZERS)}, got {tuple(optimizers)}."
            )
        resolved = {name: keras.optimizers.get(opt) for name, opt in optimizers.items()}
        if len({id(opt) for opt in resolved.values()}) < len(resolved):
            raise ValueError(
                f"{', '.join(resolved)} must be {len(resolved)} different optimizer objects: "
                "each keeps its own state (moments, step count)."
            )
        if self.dtype_policy.name == "mixed_float16":  # the model's own policy, not the global
            resolved = {
                name: opt if isinstance(opt, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(opt)
                for name, opt in resolved.items()
            }  # fmt: skip
        super().compile(optimizer=None, **keras_args)
        for name, opt in resolved.items():
            setattr(self, name, opt)
            if not opt.built:  # built now, so that saved moments and steps can be loaded into it
                opt.build(self._trainable_variables_of(name))
        self.objective = objective
        self._compile_args = {**resolved, "loss": objective, **settings, **keras_args}

    def _penalty_epsilon(self, batch_size) -> tf.Tensor | None:
        """The gradient penalty's ``ε ~ U[0, 1]`` ``(batch_size,)``, from the model's
        ``noise_seeds`` (saved with the model: a resumed run draws the same), this replica's
        rows of the global batch's draw; ``None`` (nothing drawn) without a gradient penalty."""
        if not self.objective.gp_weight:
            return None
        return rows_for_this_replica(
            lambda n: keras.random.uniform((n,), seed=self.noise_seeds), batch_size
        )

    def _trainable_variables_of(self, optimizer_name: str) -> list:
        variables, seen = [], set()
        for role in self.OPTIMIZERS[optimizer_name]:
            for v in getattr(self, role).trainable_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    variables.append(v)
        return variables

    def _update(self, optimizer_name: str, loss_fn: Callable):
        """One step of ``optimizer_name`` on its networks, minimising ``loss_fn()``.

        ``loss_fn`` returns the loss, or a tuple whose first item is the loss; that value is
        returned (the loss is scaled for the gradient under ``mixed_float16`` and divided by
        the number of replicas under a ``tf.distribute`` strategy, not here).
        """
        optimizer = getattr(self, optimizer_name)
        variables = self._trainable_variables_of(optimizer_name)
        with tf.GradientTape() as tape:
            result = loss_fn()
            loss = result[0] if isinstance(result, tuple) else result
            scaled = optimizer.scale_loss(share_of_global_loss(loss))
        optimizer.apply(tape.gradient(scaled, variables), variables)
        return result

    def _update_together(self, game: Callable) -> dict:
        """Every optimizer at once from one forward pass (as in Larsen et al.'s algorithm 1).

        ``game()`` returns ``({optimizer name: its loss}, logged values)``; each optimizer
        steps on the gradient of its own loss, all computed before any is applied. Returns
        the logged values.
        """
        with tf.GradientTape(persistent=True) as tape:
            losses_by_optimizer, logged = game()
            scaled = {
                name: getattr(self, name).scale_loss(share_of_global_loss(loss))
                for name, loss in losses_by_optimizer.items()
            }
        steps = []
        for name, loss in scaled.items():
            variables = self._trainable_variables_of(name)
            steps.append((getattr(self, name), tape.gradient(loss, variables), variables))
        del tape
        for optimizer, gradients, variables in steps:
            optimizer.apply(gradients, variables)
        return logged

    def _metric_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def get_compile_config(self) -> dict:
        """What ``compile`` was given, so that ``load_model`` can compile again and resume."""
        if not getattr(self, "compiled", False) or not hasattr(self, "_compile_args"):
            return {}
        return {
            name: keras.saving.serialize_keras_object(value)
            if isinstance(value, (keras.optimizers.Optimizer, AdversarialObjective))
            else value
            for name, value in self._compile_args.items()
        }

    def compile_from_config(self, config: dict) -> None:
        config = dict(config)
        for name in (*self.OPTIMIZERS, "loss"):
            config[name] = keras.saving.deserialize_keras_object(config[name])
        self.compile(**config)

    def evaluate(self, *args, **kwargs):
        raise TypeError(
            f"{type(self).__name__} has no evaluation loss: a game's losses measure the two "
            "players against each other, not the samples. Measure samples with "
            "aegan_tf.metrics (fid, kid, precision_recall) on model.generate(n), or log them "
            "during fit with aegan_tf.callbacks.QualityMetrics."
        )

    def fit(self, *args, validation_data=None, validation_split=0.0, **kwargs):
        if validation_data is not None or validation_split:
            raise TypeError(
                f"{type(self).__name__}.fit() takes no validation_data or validation_split: "
                "it has no evaluation loss. Pass aegan_tf.callbacks.QualityMetrics(held_out) "
                "in callbacks= to measure the samples against held-out images each epoch."
            )
        history = super().fit(*args, **kwargs)
        if history.epoch:  # as Keras's fit does for its one optimizer: an optimizer made with
            # use_ema=True leaves its networks holding the moving average of their weights
            for name in self.OPTIMIZERS:
                getattr(self, name).finalize_variable_values(self._trainable_variables_of(name))
        return history
