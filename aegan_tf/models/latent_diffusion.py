"""Latent diffusion: a denoising diffusion model on a trained autoencoder's codes.

The source article's method with diffusion in place of the GAN (Rombach et al. 2022, "High-
Resolution Image Synthesis with Latent Diffusion Models"): the codes are standardised, a
forward process adds Gaussian noise to them in ``T`` steps,

    q(x_t | x_0) = N(sqrt(ᾱ_t) x_0, (1 - ᾱ_t) I),   ᾱ_t = prod_{s<=t} (1 - β_s),

and a denoiser ``ε_θ(x_t, t)`` learns the noise that was added, by the simple loss of Ho et
al. 2020 ("Denoising Diffusion Probabilistic Models", eq. 14):
``E_{t, x_0, ε} ||ε - ε_θ(sqrt(ᾱ_t) x_0 + sqrt(1 - ᾱ_t) ε, t)||²``. Sampling runs the chain
backwards from ``x_T ~ N(0, I)`` and decodes ``x_0``.
"""

from __future__ import annotations

import math
from typing import ClassVar

import keras
import numpy as np
import tensorflow as tf

from aegan_tf._validation import check_number, check_positive_int
from aegan_tf.distribute import rows_for_this_replica, share_of_global_loss
from aegan_tf.models.autoencoder import Autoencoder
from aegan_tf.models.codes import StandardisedCodes
from aegan_tf.models.composed import GenerativeModel, OwnLoss, map_batches

SAMPLERS = ("ancestral", "ddim")
"""``ancestral``: DDPM's sampler (Ho et al. 2020, algorithm 2), noise added at every step;
``ddim``: the deterministic sampler of Song et al. 2021 (η = 0), the same ``x_T`` always
giving the same ``x_0``."""


def linear_beta_schedule(
    steps: int, beta_start: float = 1e-4, beta_end: float = 0.02
) -> np.ndarray:
    """The noise variances ``β_1 .. β_T`` ``(steps,)``, linear from ``beta_start`` to
    ``beta_end`` (Ho et al. 2020, section 4: T = 1000, 1e-4 to 0.02), as float64."""
    steps = check_positive_int(steps, "steps")
    beta_start = check_number(beta_start, "beta_start", low=0)
    beta_end = check_number(beta_end, "beta_end", low=0)
    if not 0 < beta_start <= beta_end < 1:
        raise ValueError(
            f"the betas must satisfy 0 < beta_start <= beta_end < 1, got {beta_start} and "
            f"{beta_end}."
        )
    return np.linspace(beta_start, beta_end, steps, dtype=np.float64)


def timestep_embedding(t, dim: int) -> tf.Tensor:
    """The sinusoidal features ``(N, dim)`` of the steps ``t`` ``(N,)`` (the Transformer's
    position encoding, Vaswani et al. 2017, as Ho et al. 2020 use it): ``sin`` then ``cos``
    of ``t`` times ``dim / 2`` frequencies from 1 down to 1/10000. ``dim`` is even."""
    if dim % 2:
        raise ValueError(f"the time features' size must be even, got {dim}.")
    half = dim // 2
    frequencies = np.exp(-math.log(10000.0) * np.arange(half) / half).astype(np.float32)
    angles = tf.cast(tf.reshape(t, [-1, 1]), tf.float32) * frequencies
    return tf.concat([tf.sin(angles), tf.cos(angles)], axis=1)


def sampling_timesteps(diffusion_steps: int, sampling_steps: int) -> np.ndarray:
    """The steps a sampler visits, from the last to the first: ``sampling_steps`` of the
    ``diffusion_steps`` (0-based), evenly spaced, always ending at 0 (the respacing of Nichol
    & Dhariwal 2021, section 4)."""
    if not 1 <= sampling_steps <= diffusion_steps:
        raise ValueError(
            f"sampling_steps must be a whole number in [1, {diffusion_steps}] (the diffusion "
            f"steps), got {sampling_steps}."
        )
    steps = np.round(np.linspace(0, diffusion_steps - 1, sampling_steps)).astype(np.int32)
    return steps[::-1].copy()


@keras.saving.register_keras_serializable(package="aegan_tf")
class LatentDiffusion(OwnLoss, StandardisedCodes, GenerativeModel):
    """A diffusion model (DDPM) on an autoencoder's standardised codes; ``generate`` decodes.

    The encoder and decoder stay frozen; the optimizer trains the denoiser alone. As for a
    :class:`~aegan_tf.models.LatentGAN`, :meth:`adapt` stores the codes' statistics first, and
    ``fit`` takes images or their codes::

        diffusion = LatentDiffusion.from_autoencoder(autoencoder, build_mlp_denoiser(32))
        diffusion.adapt(train_images)
        diffusion.compile(keras.optimizers.Adam(1e-3))
        diffusion.fit(make_dataset(train_images), epochs=50)
        images = diffusion.generate(16, seed=0)

    ``fit`` logs ``loss``, the mean squared error of the predicted noise (1 for a denoiser
    that predicts nothing). Sampling costs a denoiser call per sampling step:
    ``sampling_steps`` (fewer than the diffusion steps: faster, usually worse) and
    ``sampler`` can be set after training.

    Args:
        encoder: images ``(N, H, W, C)`` -> codes ``(N, code_dim)``, trained.
        decoder: codes ``(N, code_dim)`` -> images ``(N, H, W, C)``, trained.
        denoiser: ``[noisy codes (N, code_dim), time features (N, time_dim)]`` -> the noise
            ``(N, code_dim)`` (:func:`~aegan_tf.models.build_mlp_denoiser`).
        diffusion_steps, beta_start, beta_end: the forward process
            (:func:`linear_beta_schedule`).
        sampler: one of :data:`SAMPLERS`.
        sampling_steps: the steps a sample takes (:func:`sampling_timesteps`); ``None``: all
            the diffusion steps.
        seed: seeds the steps and noise drawn during training.
    """

    NETWORKS: ClassVar = ("encoder", "decoder", "denoiser")
    CHAIN_BOUND: ClassVar = 50.0
    """The reverse chain's state is kept within ±50 (standardised units): a healthy chain stays
    within a few, and the bound never binds; a denoiser that extrapolates badly can make a
    chain grow step after step until it overflows, and bounded, its sample is a poor image
    rather than NaN (an Adam 2e-3 run of chapter 9's tuning drew 5 NaN images in 2,000)."""
    OWN_LOSS: ClassVar = "the mean squared error of the predicted noise, logged as loss"

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        denoiser: keras.Model,
        diffusion_steps: int = 1000,
        beta_start: float = 1e-4,
        beta_end: float = 0.02,
        sampler: str = "ancestral",
        sampling_steps: int | None = None,
        seed: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._set_autoencoder(encoder, decoder)
        self._set_networks(denoiser=denoiser)
        shapes = [tuple(t.shape[1:]) for t in denoiser.inputs]
        if len(shapes) != 2 or shapes[0] != (self.code_dim,) or len(shapes[1]) != 1:
            raise ValueError(
                f"denoiser must take [noisy codes (N, {self.code_dim}), time features "
                f"(N, time_dim)], got inputs {shapes}: build it with "
                f"build_mlp_denoiser({self.code_dim})."
            )
        if tuple(denoiser.output_shape[1:]) != (self.code_dim,):
            raise ValueError(
                f"denoiser must output the noise (N, {self.code_dim}), got {denoiser.output_shape}."
            )
        self.time_dim = shapes[1][0]
        if self.time_dim % 2:
            raise ValueError(f"the denoiser's time features must be even, got {self.time_dim}.")
        self.latent_dim = self.code_dim  # x_T ~ N(0, I), one number per code unit
        self.diffusion_steps = check_positive_int(diffusion_steps, "diffusion_steps")
        self.betas = linear_beta_schedule(self.diffusion_steps, beta_start, beta_end)
        self.beta_start, self.beta_end = float(beta_start), float(beta_end)
        self.alpha_bars = np.cumprod(1.0 - self.betas)
        self.sampler = sampler
        self.sampling_steps = sampling_steps
        self.seed = seed
        self.noise_seeds = keras.random.SeedGenerator(seed)  # training's steps and noise
        self.evaluation_seeds = keras.random.SeedGenerator(None if seed is None else seed + 1)
        self.trackers = {"loss": keras.metrics.Mean(name="loss")}

    @classmethod
    def from_autoencoder(
        cls, autoencoder: Autoencoder, denoiser: keras.Model, **settings
    ) -> LatentDiffusion:
        """A latent diffusion model on a trained :class:`Autoencoder`'s encoder and decoder."""
        if not isinstance(autoencoder, Autoencoder):
            raise TypeError(
                f"autoencoder must be an Autoencoder, got {type(autoencoder).__name__}."
            )
        return cls(autoencoder.encoder, autoencoder.decoder, denoiser, **settings)

    @property
    def sampler(self) -> str:
        """How samples are drawn: one of :data:`SAMPLERS`."""
        return self._sampler

    @sampler.setter
    def sampler(self, value: str) -> None:
        if value not in SAMPLERS:
            raise ValueError(f"sampler must be one of {SAMPLERS}, got {value!r}.")
        self._sampler = value

    @property
    def sampling_steps(self) -> int:
        """The denoiser calls per sample (at most ``diffusion_steps``)."""
        return self._sampling_steps

    @sampling_steps.setter
    def sampling_steps(self, value: int | None) -> None:
        value = (
            self.diffusion_steps if value is None else check_positive_int(value, "sampling_steps")
        )
        sampling_timesteps(self.diffusion_steps, value)  # (checks the range)
        self._sampling_steps = value

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        return list(self.trackers.values())

    def predict_noise(self, noisy_codes, t, training: bool = False) -> tf.Tensor:
        """``ε_θ(x_t, t)``: the denoiser's noise ``(N, code_dim)`` for standardised noisy
        codes ``(N, code_dim)`` at the steps ``t`` ``(N,)`` (0-based)."""
        features = timestep_embedding(t, self.time_dim)
        return self.denoiser([noisy_codes, features], training=training)

    def add_noise(self, standard_codes, t, noise) -> tf.Tensor:
        """The forward process, ``x_t = sqrt(ᾱ_t) x_0 + sqrt(1 - ᾱ_t) ε``: standardised codes
        ``x_0`` ``(N, code_dim)`` at the steps ``t`` ``(N,)`` (0-based) with the noise ``ε``
        ``(N, code_dim)``."""
        alpha_bar = tf.gather(tf.constant(self.alpha_bars, tf.float32), t)[:, None]
        x0 = tf.cast(standard_codes, tf.float32)
        return tf.sqrt(alpha_bar) * x0 + tf.sqrt(1.0 - alpha_bar) * tf.cast(noise, tf.float32)

    def diffusion_loss(self, codes, training: bool = False) -> tf.Tensor:
        """The simple loss of Ho et al. (eq. 14) on codes ``(N, code_dim)`` in the encoder's
        units: a step and a noise drawn per code (from training's noise stream when
        ``training``, else from evaluation's), the batch mean of the squared error."""
        x0 = self.standardize(codes)
        seeds = self.noise_seeds if training else self.evaluation_seeds
        t, noise = rows_for_this_replica(
            lambda n: (
                keras.random.randint((n,), 0, self.diffusion_steps, seed=seeds),
                keras.random.normal((n, self.code_dim), seed=seeds),
            ),
            tf.shape(x0)[0],
        )
        predicted = self.predict_noise(self.add_noise(x0, t, noise), t, training=training)
        return tf.reduce_mean(tf.square(noise - tf.cast(predicted, tf.float32)))

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data  # labels, if any, unused
        codes = self.training_codes(x)
        with tf.GradientTape() as tape:
            loss = self.diffusion_loss(codes, training=True)
            scaled = self.optimizer.scale_loss(share_of_global_loss(loss))
        variables = self.denoiser.trainable_variables
        self.optimizer.apply(tape.gradient(scaled, variables), variables)
        return self._log({"loss": loss})

    def test_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        return self._log({"loss": self.diffusion_loss(self.training_codes(x))})

    def _chain_constants(self) -> dict[str, tf.Tensor]:
        """Per visited step (from the last), what the sampler's formulas need, for the
        current ``sampling_steps`` (a respaced chain: each step's ``β`` joins it to the next
        one visited, Nichol & Dhariwal 2021)."""
        steps = sampling_timesteps(self.diffusion_steps, self.sampling_steps)
        alpha_bar = self.alpha_bars[steps]
        following = np.append(self.alpha_bars[steps[1:]], 1.0)  # ᾱ of the next step visited
        beta = 1.0 - alpha_bar / following
        values = {
            "t": steps,
            "sqrt_alpha_bar": np.sqrt(alpha_bar),
            "sqrt_one_minus": np.sqrt(1.0 - alpha_bar),
            "sqrt_following": np.sqrt(following),
            "sqrt_one_minus_following": np.sqrt(1.0 - following),
            "noise_scale": beta / np.sqrt(1.0 - alpha_bar),
            "sqrt_alpha": np.sqrt(1.0 - beta),
            "sigma": np.sqrt(beta * (1.0 - following) / (1.0 - alpha_bar)),  # sqrt(β̃), eq. 7
        }
        return {k: tf.constant(v, tf.int32 if k == "t" else tf.float32) for k, v in values.items()}

    def _reverse_chain(self, x, seed, constants: dict, ddim: bool) -> tf.Tensor:
        """``x_T`` ``(B, code_dim)`` -> ``x_0``, standardised, through the visited steps;
        ``seed`` ``(2,)`` draws each step's noise (ancestral only)."""

        def step(i, x):
            c = {name: values[i] for name, values in constants.items()}
            eps = tf.cast(self.predict_noise(x, tf.fill(tf.shape(x)[:1], c["t"])), tf.float32)
            if ddim:  # Song et al. 2021, eq. 12 with σ = 0
                x0 = (x - c["sqrt_one_minus"] * eps) / c["sqrt_alpha_bar"]
                following = c["sqrt_following"] * x0 + c["sqrt_one_minus_following"] * eps
            else:
                mean = (x - c["noise_scale"] * eps) / c["sqrt_alpha"]  # Ho et al., eq. 11
                z = tf.random.stateless_normal(
                    tf.shape(x), tf.random.experimental.stateless_fold_in(seed, i)
                )
                following = mean + c["sigma"] * z
            return i + 1, tf.clip_by_value(following, -self.CHAIN_BOUND, self.CHAIN_BOUND)

        visited = tf.shape(constants["t"])[0]
        start = (tf.constant(0), tf.cast(x, tf.float32))
        return tf.while_loop(lambda i, x: i < visited, step, start)[1]

    def _sample(self, x, seed) -> tf.Tensor:
        """The reverse chain of the current sampler and steps, as one traced loop."""
        if getattr(self, "_traced_chain", None) is None:
            self._traced_chain = tf.function(self._reverse_chain, reduce_retracing=True)
        seed = tf.constant(seed, tf.int64)
        return self._traced_chain(x, seed, self._chain_constants(), self.sampler == "ddim")

    def generate_codes(self, n: int, seed: int = 0, batch_size: int = 1024, labels=None):
        """``n`` generated codes ``(n, code_dim)`` in the encoder's units (comparable with
        :meth:`encode`): the reverse chain from the noise of :meth:`sample_noise`, its steps'
        noise drawn from ``seed`` (the same for the same ``seed`` and ``batch_size``)."""
        noise = self.sample_noise(n, seed, labels)
        batch_size = check_positive_int(batch_size, "batch_size")
        codes = [
            self.unstandardize(self._sample(noise[i : i + batch_size], [seed, i]))
            for i in range(0, n, batch_size)
        ]
        return keras.ops.convert_to_numpy(tf.concat(codes, axis=0)).astype(np.float32)

    def generate(self, n: int, seed: int = 0, batch_size: int = 1024, labels=None) -> np.ndarray:
        """``n`` images ``(n, H, W, C)``: :meth:`generate_codes`, decoded."""
        return map_batches(
            self.decoder, self.generate_codes(n, seed, batch_size, labels), batch_size
        )

    def generate_from(self, z) -> tf.Tensor:
        """Images for ``x_T`` ``(B, code_dim)``: the reverse chain from it (its steps' noise
        drawn from seed 0; none for ``ddim``), decoded."""
        codes = self.unstandardize(self._sample(z, [0, 0]))
        return self.decoder(codes, training=False)

    def settings(self) -> dict:
        return {
            "diffusion_steps": self.diffusion_steps,
            "beta_start": self.beta_start,
            "beta_end": self.beta_end,
            "sampler": self.sampler,
            "sampling_steps": self.sampling_steps,
            "seed": self.seed,
        }
