"""Losses as pure functions: tensors in, losses out.

- Reconstruction losses compare images ``x`` with reconstructions ``x_hat``, both
  ``(N, H, W, C)``, and return one value per example, shape ``(N,)``; Keras averages them
  over the batch. They are registered with Keras, so a model compiled with one of them
  saves and reloads with its loss.
- Adversarial losses take the discriminator's raw outputs and return a scalar, the mean
  over the batch.
- Penalties take the discriminator itself and its real (and fake) inputs: one tensor, or a
  tuple of tensors for a discriminator of several inputs (BiGAN's ``(x, z)``).
"""

from __future__ import annotations

import keras
import tensorflow as tf

from aegan_tf._validation import check_images

_EPSILON = 1e-7


def _check_pair(x: tf.Tensor, x_hat: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    check_images(x, "x")
    check_images(x_hat, "x_hat")
    x_shape, x_hat_shape = tuple(x.shape), tuple(x_hat.shape)
    if any(
        a is not None and b is not None and a != b
        for a, b in zip(x_shape, x_hat_shape, strict=True)
    ):
        raise ValueError(f"x and x_hat must have the same shape, got {x_shape} and {x_hat_shape}.")
    return tf.cast(x, tf.float32), tf.cast(x_hat, tf.float32)


@keras.saving.register_keras_serializable(package="aegan_tf")
def mse_reconstruction_loss(x: tf.Tensor, x_hat: tf.Tensor) -> tf.Tensor:
    """Mean squared error per example: ``mean_pixels (x - x_hat)^2``, shape ``(N,)``.

    This is the autoencoder loss ``L = ||x - x_hat||^2`` divided by the number of pixels
    ``D = H*W*C`` (the same minimiser; the scale does not depend on the image size).
    It is the negative log-likelihood of a Gaussian decoder with fixed variance, up to
    constants, which is why its reconstructions are blurry: the best guess under doubt
    is the mean of the plausible images.
    """
    x, x_hat = _check_pair(x, x_hat)
    return tf.reduce_mean(tf.square(x - x_hat), axis=[1, 2, 3])


@keras.saving.register_keras_serializable(package="aegan_tf")
def bce_reconstruction_loss(x: tf.Tensor, x_hat: tf.Tensor) -> tf.Tensor:
    """Binary cross-entropy per example, averaged over pixels, shape ``(N,)``.

    ``-mean_pixels [x log x_hat + (1 - x) log(1 - x_hat)]`` for ``x`` and ``x_hat`` in
    [0, 1] (``x_hat`` from a sigmoid decoder; it is clipped to ``[eps, 1 - eps]``). The
    negative log-likelihood of a Bernoulli decoder; its minimum over ``x_hat`` is at
    ``x_hat = x`` but is not zero unless ``x`` is 0 or 1.
    """
    x, x_hat = _check_pair(x, x_hat)
    x_hat = tf.clip_by_value(x_hat, _EPSILON, 1.0 - _EPSILON)
    bce = -(x * tf.math.log(x_hat) + (1.0 - x) * tf.math.log(1.0 - x_hat))
    return tf.reduce_mean(bce, axis=[1, 2, 3])


RECONSTRUCTION_LOSSES = {"mse": mse_reconstruction_loss, "bce": bce_reconstruction_loss}
"""Name -> per-example reconstruction loss, for the models that take ``reconstruction=``."""


def kl_to_standard_normal(mean: tf.Tensor, log_var: tf.Tensor) -> tf.Tensor:
    """``KL(N(μ, diag σ²) || N(0, I))`` per example, shape ``(N,)``, in closed form:

    ``1/2 sum_j (μ_j² + σ_j² - log σ_j² - 1)`` (Kingma & Welling 2014, "Auto-Encoding
    Variational Bayes", appendix B). ``mean`` and ``log_var`` (``log σ²``) are ``(N, d)``.
    """
    mean, log_var = tf.cast(mean, tf.float32), tf.cast(log_var, tf.float32)
    if tuple(mean.shape) != tuple(log_var.shape) or len(mean.shape) != 2:
        raise ValueError(
            f"mean and log_var must both be (N, latent_dim), got {tuple(mean.shape)} and "
            f"{tuple(log_var.shape)}."
        )
    return 0.5 * tf.reduce_sum(tf.square(mean) + tf.exp(log_var) - log_var - 1.0, axis=1)


def feature_reconstruction_loss(real_features: tf.Tensor, fake_features: tf.Tensor) -> tf.Tensor:
    """``1/2 ||f(x) - f(x̃)||²`` per example, shape ``(N,)``: a Gaussian log-likelihood of the
    reconstruction in a discriminator's feature space (Larsen et al. 2016, "Autoencoding
    beyond pixels using a learned similarity metric", the VAE-GAN's ``L_llike^Dis_l``).
    Features are ``(N, ...)``; every axis but the first is summed."""
    real = tf.cast(real_features, tf.float32)
    fake = tf.cast(fake_features, tf.float32)
    if tuple(real.shape[1:]) != tuple(fake.shape[1:]):
        raise ValueError(
            f"real and fake features must have the same shape, got {tuple(real.shape)} and "
            f"{tuple(fake.shape)}."
        )
    return 0.5 * tf.reduce_sum(tf.reshape(tf.square(real - fake), [tf.shape(real)[0], -1]), axis=1)


# --- Adversarial losses --------------------------------------------------------------------
# Inputs are the discriminator's raw outputs, called logits whatever the loss (any real
# number), shape (N,) or (N, 1); D(x) = sigmoid(logit) where a probability is meant. Each
# function returns a scalar, the mean over the batch. Working from logits with softplus keeps
# them finite where log(sigmoid(x)) would round to log(0): log D = -softplus(-logit),
# log(1 - D) = -softplus(logit).


def _check_logits(logits: tf.Tensor, name: str) -> tf.Tensor:
    logits = tf.convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"{name} must be floating point logits, got dtype {logits.dtype.name}.")
    shape = tuple(logits.shape)
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] not in (1, None)):
        raise ValueError(f"{name} must have shape (N,) or (N, 1), got {shape}.")
    return tf.reshape(tf.cast(logits, tf.float32), [-1])


def minimax_discriminator_loss(
    real_logits: tf.Tensor, fake_logits: tf.Tensor, label_smoothing: float = 0.0
) -> tf.Tensor:
    """``-E[log D(x)] - E[log(1 - D(G(z)))]``: binary cross-entropy, real = 1, fake = 0.

    The discriminator's side of the minimax game ``min_G max_D V(D, G)`` (Goodfellow et al.
    2014, "Generative Adversarial Nets"); minimising it maximises ``V``. It equals
    ``2 log 2`` when every logit is 0 (D says 1/2 everywhere). ``label_smoothing = s``
    gives real examples the target ``1 - s`` instead of 1 (one-sided label smoothing,
    Salimans et al. 2016, "Improved Techniques for Training GANs").
    """
    real = _check_logits(real_logits, "real_logits")
    fake = _check_logits(fake_logits, "fake_logits")
    if not 0.0 <= label_smoothing < 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing}.")
    target = 1.0 - label_smoothing  # BCE(t, x) = t softplus(-x) + (1 - t) softplus(x)
    real_term = target * tf.nn.softplus(-real) + (1.0 - target) * tf.nn.softplus(real)
    return tf.reduce_mean(real_term) + tf.reduce_mean(tf.nn.softplus(fake))


def minimax_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """``E[log(1 - D(G(z)))]``, the generator's side of the minimax game (Goodfellow 2014).

    Saturates: when D confidently rejects the fakes (early in training), ``D(G(z)) ≈ 0`` and
    the gradient with respect to the logit, ``-D(G(z))``, vanishes. Prefer
    :func:`nonsaturating_generator_loss`.
    """
    fake = _check_logits(fake_logits, "fake_logits")
    return -tf.reduce_mean(tf.nn.softplus(fake))


def nonsaturating_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """``-E[log D(G(z))]`` (Goodfellow 2014, section 3): the same fixed point, strong gradients.

    Its gradient with respect to the logit is ``-(1 - D(G(z)))``, close to -1 exactly when
    the discriminator rejects the fakes.
    """
    fake = _check_logits(fake_logits, "fake_logits")
    return tf.reduce_mean(tf.nn.softplus(-fake))


def least_squares_discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """``1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]`` on raw outputs.

    Mao et al. 2017, "Least Squares Generative Adversarial Networks" (targets a=0, b=c=1).
    """
    real = _check_logits(real_logits, "real_logits")
    fake = _check_logits(fake_logits, "fake_logits")
    return 0.5 * tf.reduce_mean(tf.square(real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake))


def least_squares_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """``1/2 E[(D(G(z)) - 1)^2]`` on raw outputs (Mao et al. 2017, "Least Squares GANs")."""
    fake = _check_logits(fake_logits, "fake_logits")
    return 0.5 * tf.reduce_mean(tf.square(fake - 1.0))


def hinge_discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """``E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`` (Lim & Ye 2017; Miyato et al. 2018).

    Its generator loss is ``-E[D(G(z))]``, :func:`wasserstein_generator_loss`.
    """
    real = _check_logits(real_logits, "real_logits")
    fake = _check_logits(fake_logits, "fake_logits")
    return tf.reduce_mean(tf.nn.relu(1.0 - real)) + tf.reduce_mean(tf.nn.relu(1.0 + fake))


def wasserstein_critic_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """``E[D(G(z))] - E[D(x)]`` (Arjovsky et al. 2017, "Wasserstein GAN").

    Minimising it makes ``E[D(x)] - E[D(G(z))]`` an estimate of the Wasserstein-1 distance,
    provided the critic is 1-Lipschitz: add :func:`gradient_penalty` (WGAN-GP).
    """
    real = _check_logits(real_logits, "real_logits")
    fake = _check_logits(fake_logits, "fake_logits")
    return tf.reduce_mean(fake) - tf.reduce_mean(real)


def wasserstein_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """``-E[D(G(z))]`` (Arjovsky et al. 2017); also the generator's side of the hinge loss."""
    fake = _check_logits(fake_logits, "fake_logits")
    return -tf.reduce_mean(fake)


def _as_tuple(inputs) -> tuple[tf.Tensor, ...]:
    """One tensor or a tuple/list of tensors (a discriminator of several inputs) -> a tuple."""
    items = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    if not items:
        raise ValueError("a discriminator needs at least one input, got an empty sequence.")
    return tuple(tf.convert_to_tensor(x) for x in items)


def _unpack(inputs: tuple[tf.Tensor, ...]):
    """What the discriminator is called with: the tensor itself when it has one input."""
    return inputs[0] if len(inputs) == 1 else inputs


def _input_gradients(critic, inputs: tuple[tf.Tensor, ...]) -> list[tf.Tensor]:
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = critic(_unpack(inputs), training=True)
    return tape.gradient(outputs, inputs, unconnected_gradients=tf.UnconnectedGradients.ZERO)


def _squared_norms(grads: list[tf.Tensor]) -> tf.Tensor:
    """``sum ||g_i||^2`` per example over all the inputs' gradients, shape ``(N,)``."""
    return tf.add_n(
        [tf.reduce_sum(tf.square(tf.cast(g, tf.float32)), axis=list(range(1, len(g.shape))))
         for g in grads]
    )  # fmt: skip


def gradient_penalty(critic, real, fake, seed=None, epsilon=None) -> tf.Tensor:
    """``E[(||∇D(x̂)||_2 - 1)^2]``, ``x̂ = ε x + (1 - ε) G(z)``, ``ε ~ U[0, 1]`` per sample.

    Gulrajani et al. 2017, "Improved Training of Wasserstein GANs" (WGAN-GP; the paper
    weights it by λ = 10). ``critic`` maps a batch ``(N, ...)`` to ``(N,)`` or ``(N, 1)``;
    ``real`` and ``fake`` have the same shape. For a critic of several inputs (a tuple, such
    as BiGAN's ``(x, z)``), every input is interpolated with the same ``ε`` of its example and
    the norm is over all of them together. The norm is ``sqrt(sum g^2 + 1e-12)``, so its
    gradient is finite even where the critic's input gradient is exactly zero. ``epsilon``
    ``(N,)``, if given, replaces the uniform draw (to check an implementation against this one).
    """
    real, fake = _as_tuple(real), _as_tuple(fake)
    shapes = [tuple(x.shape) for x in real], [tuple(x.shape) for x in fake]
    if shapes[0] != shapes[1]:
        raise ValueError(
            f"real and fake must have the same shape, got {shapes[0]} and {shapes[1]}."
        )
    if epsilon is None:
        eps = tf.random.uniform([tf.shape(real[0])[0]], 0.0, 1.0, seed=seed)  # one per example
    else:
        eps = tf.convert_to_tensor(epsilon)
        if tuple(eps.shape) != (real[0].shape[0],):
            raise ValueError(
                f"epsilon must have shape (N,) = ({real[0].shape[0]},), got {tuple(eps.shape)}."
            )
    interpolated = []
    for r, f in zip(real, fake, strict=True):
        e = tf.reshape(tf.cast(eps, r.dtype), [-1] + [1] * (len(r.shape) - 1))
        interpolated.append(e * r + (1.0 - e) * f)
    norms = tf.sqrt(_squared_norms(_input_gradients(critic, tuple(interpolated))) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


def r1_penalty(critic, real) -> tf.Tensor:
    """``1/2 E[||∇D(x)||^2]`` on real data (Mescheder et al. 2018, "Which Training Methods
    for GANs do actually Converge?"); the paper weights it by γ (often 10). ``real`` is one
    tensor or, for a critic of several inputs, a tuple of them."""
    return 0.5 * tf.reduce_mean(_squared_norms(_input_gradients(critic, _as_tuple(real))))
