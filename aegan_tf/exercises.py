"""Checks for the book's exercises: each ``check_*`` runs a student's function on fresh random
inputs against the package's own implementation and answers in plain words.

A check prints one line starting with ✓ when the function is right. When it is not, it raises
:class:`NotYetRight` (an ``AssertionError``, so nbgrader and otter-grader count it as a failed
test) whose message says what is already right and what is wrong: a known mistake by name
(a wrong sign, a missing mean, the saturating form, a wrong shape) or, for anything else, by
how far the values are off. It never prints the expected values or the solution.

Every exercise of the book, by chapter::

    1  check_reconstruction_loss, check_linear_path
    2  check_nonsaturating_generator_loss, check_optimal_discriminator, check_gradient_penalty
    3  check_tanh_scaling, check_discriminator_loss, check_nearest_distances
    4  check_frechet_distance, check_polynomial_mmd2
    5  check_standardize_codes, check_latent_gan_sampling
    6  check_circle_means, check_aae_losses
    7  check_reparameterize, check_kl_divergence
    8  check_bigan_losses, check_nearest_neighbour_accuracy
    9  check_seconds_to_reach, check_fid_at_budget
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from aegan_tf import comparison, data, latent, losses
from aegan_tf.metrics import distances, nearest
from aegan_tf.models.vae import reparameterize
from aegan_tf.priors import GaussianMixturePrior


class NotYetRight(AssertionError):
    """A student's function does not do what its exercise asks; the message says why."""


@dataclass(frozen=True)
class _Mistake:
    says: str  # what the student did, in words
    compute: Callable[..., Any]  # the same mistake, made on purpose


_STUB = (
    "it still raises NotImplementedError: replace the `raise NotImplementedError()` line "
    "with your code."
)


def _numpy(value: Any) -> Any:
    """A function's result as numpy: a tuple stays a tuple; tensors and floats become arrays."""
    if isinstance(value, (tuple, list)):
        return tuple(_numpy(v) for v in value)
    if value is None:
        return None
    array = np.asarray(keras.ops.convert_to_numpy(value) if tf.is_tensor(value) else value)
    if np.iscomplexobj(array):  # scipy.linalg.sqrtm's tiny imaginary parts
        array = array.real
    return array


def _same_structure(got: Any, want: Any) -> bool:
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want)
    return isinstance(got, np.ndarray)


def _close(got: Any, want: Any, rtol: float, atol: float) -> bool:
    if isinstance(want, tuple):
        return _same_structure(got, want) and all(
            _close(g, w, rtol, atol) for g, w in zip(got, want, strict=True)
        )
    if not isinstance(got, np.ndarray) or got.shape != want.shape:
        return False
    if not np.issubdtype(got.dtype, np.number):
        return False
    return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True))


def _shape(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_shape(v) for v in value) + ")"
    return "a scalar" if value.ndim == 0 else f"shape {value.shape}"


def _rights_and_wrong(got: Any, want: Any, rtol: float, atol: float) -> tuple[list[str], str]:
    """What is already right about ``got``, and the first thing found wrong with it."""
    rights = ["it runs"]
    if got is None:
        return rights, "it returns None: is the `return` line missing?"
    if not _same_structure(got, want):
        count = len(want) if isinstance(want, tuple) else 1
        return (
            rights,
            f"it should return {count} value(s) ({_shape(want)}), it returns {_shape(got)}.",
        )
    pairs = zip(got, want, strict=True) if isinstance(want, tuple) else [(got, want)]
    for position, (g, w) in enumerate(pairs):
        where = f"value {position + 1}: " if isinstance(want, tuple) else ""
        if not isinstance(g, np.ndarray):
            return rights, f"{where}it is {g!r}; a number or an array is expected."
        if g.shape != w.shape:
            return rights, f"{where}it returns {_shape(g)}, expected {_shape(w)}."
        if not np.issubdtype(g.dtype, np.floating) and np.issubdtype(w.dtype, np.floating):
            return rights, f"{where}it returns {g.dtype} values; floating point is expected."
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(w)):
            return rights, f"{where}it returns NaN or infinity where a finite value is expected."
        if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True):
            off = float(np.nanmax(np.abs(g - w))) if g.size else 0.0
            rights.append(f"{where}{_shape(g)} is right" if g.ndim else f"{where}a scalar, right")
            return rights, (
                f"{where}the values are off (by up to {off:.3g}), and not by one of the usual "
                "mistakes I know: compare each term with the formula in the text."
            )
        rights.append(f"value {position + 1} is right" if isinstance(want, tuple) else "")
    return rights, ""


def _call(function: Callable, args: tuple) -> Any:
    try:
        return function(*args)
    except NotImplementedError as error:
        raise NotYetRight(_STUB) from error
    except Exception as error:  # the student's own error, shown in one line
        first_line = str(error).splitlines()[0][:300] if str(error) else ""
        raise NotYetRight(f"it raised {type(error).__name__}: {first_line}") from error


def _judge(
    exercise: str,
    function: Callable,
    cases: Sequence[tuple],
    reference: Callable,
    mistakes: Sequence[_Mistake] = (),
    rtol: float = 1e-4,
    atol: float = 1e-5,
    case_notes: Sequence[str] = (),
) -> None:
    """Run ``function`` on each case; pass silently, or raise NotYetRight naming the problem."""
    if not callable(function):
        raise TypeError(f"{exercise}: pass your function itself, got {type(function).__name__}.")
    wants, gots = [], []
    for args in cases:
        wants.append(_numpy(reference(*args)))
        try:
            got = _numpy(_call(function, args))
        except NotYetRight as error:
            raise NotYetRight(f"{exercise} is not right yet: {error}") from None
        if isinstance(got, tuple) and not isinstance(wants[-1], tuple):
            got = np.asarray(got)  # a list of numbers where an array is asked
        gots.append(got)
    wrong_at = [i for i in range(len(cases)) if not _close(gots[i], wants[i], rtol, atol)]
    if not wrong_at:
        print(f"✓ {exercise}: right on {len(cases)} fresh random inputs.")
        return
    index = wrong_at[0]
    rights, wrong = _rights_and_wrong(gots[index], wants[index], rtol, atol)

    def made(mistake: _Mistake, i: int) -> Any:
        try:
            return _numpy(mistake.compute(*cases[i]))
        except Exception:  # the mistake does not apply to these inputs
            return None

    matching = [m for m in mistakes if _close(gots[index], made(m, index), rtol, atol)]
    # Where several mistakes give the same values here, name one that explains every input.
    everywhere = [m for m in matching if all(_close(gots[i], made(m, i), rtol, atol)
                                             for i in range(len(cases)))]  # fmt: skip
    if everywhere or matching:
        wrong = (everywhere or matching)[0].says
    note = case_notes[index] if index < len(case_notes) else ""
    right = "; ".join(r for r in rights if r)
    raise NotYetRight(
        f"{exercise} is not right yet{note}.\n  Right: {right}.\n  Wrong: {wrong}\n  (Inputs "
        f"drawn with seed {_drawn['seed']}: AEGAN_EXERCISE_SEED={_drawn['seed']} draws them again.)"
    )


_drawn = {"seed": None}


def _rng() -> np.random.Generator:
    """Fresh inputs at every check, from a seed that a failed check names: set
    ``AEGAN_EXERCISE_SEED`` to it to draw the same inputs again."""
    seed = os.environ.get("AEGAN_EXERCISE_SEED")
    _drawn["seed"] = int(seed) if seed else secrets.randbits(32)
    return np.random.default_rng(_drawn["seed"])


def _dense(units: int, rng: np.random.Generator, activation: str | None = None):
    """A ``Dense`` layer whose initial weights come from ``rng``: the check never reseeds the
    reader's Keras (``keras.utils.set_random_seed`` would)."""
    seed = int(rng.integers(2**31))
    return keras.layers.Dense(
        units, activation, kernel_initializer=keras.initializers.GlorotUniform(seed)
    )


def _images(rng: np.random.Generator, n: int, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    return rng.uniform(low, high, (n, 6, 6, 1)).astype(np.float32)


def _logits(rng: np.random.Generator, n: int, scale: float = 3.0) -> np.ndarray:
    return (rng.normal(size=n) * scale).astype(np.float32)


def _mean(x) -> np.ndarray:
    return np.mean(np.asarray(x, np.float64))


def _softplus(x) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, np.float64))


# --- Chapter 1 -------------------------------------------------------------------------------


def check_reconstruction_loss(function: Callable) -> None:
    """``function(x, x_hat)``: images ``(N, H, W, C)`` -> the mean squared error of each
    example, ``(N,)``."""
    rng = _rng()
    cases = [(_images(rng, n), _images(rng, n)) for n in (5, 8, 3)]
    _judge(
        "reconstruction_loss",
        function,
        cases,
        losses.mse_reconstruction_loss,
        [
            _Mistake(
                "it averages over the batch too: Keras expects one loss per example, "
                "shape (N,), and takes the batch mean itself.",
                lambda x, y: np.mean((x - y) ** 2),
            ),
            _Mistake(
                "it sums the squared errors over the pixels instead of averaging them: "
                "the values are H·W·C times too large.",
                lambda x, y: np.sum((x - y) ** 2, axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages absolute differences (the L1 loss), not squared ones.",
                lambda x, y: np.mean(np.abs(x - y), axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages signed differences: positive and negative errors cancel. "
                "Square them first.",
                lambda x, y: np.mean(x - y, axis=(1, 2, 3)),
            ),
            _Mistake(
                "it averages over one axis only; average over every pixel of an example.",
                lambda x, y: np.mean((x - y) ** 2, axis=1),
            ),
        ],
    )


def check_linear_path(function: Callable) -> None:
    """``function(start, end, steps)``: codes ``(d,)`` -> ``(steps, d)``, first row ``start``,
    last row ``end``, evenly spaced in between."""
    rng = _rng()
    shapes = ((2, 5), (8, 10), (3, 2))
    cases = [(rng.normal(size=d), rng.normal(size=d), steps) for d, steps in shapes]
    _judge(
        "linear_path",
        function,
        cases,
        lambda a, b, steps: latent.interpolate(a, b, steps, "linear"),
        [
            _Mistake(
                "the last row is not `end`: the path stops one step short (t must run "
                "from 0 to 1 inclusive).",
                lambda a, b, s: a + np.linspace(0, 1, s, endpoint=False)[:, None] * (b - a),
            ),
            _Mistake(
                "the path runs backwards, from `end` to `start`.",
                lambda a, b, s: latent.interpolate(b, a, s, "linear"),
            ),
            _Mistake(
                "it returns (d, steps): one row per step is expected, (steps, d).",
                lambda a, b, s: latent.interpolate(a, b, s, "linear").T,
            ),
            _Mistake(
                "it has steps + 1 rows: `steps` counts both ends.",
                lambda a, b, s: latent.interpolate(a, b, s + 1, "linear"),
            ),
        ],
    )


# --- Chapter 2 -------------------------------------------------------------------------------


def check_nonsaturating_generator_loss(function: Callable) -> None:
    """``function(fake_logits)``: the discriminator's logits on fakes ``(N,)`` -> a scalar,
    ``-E[log D(G(z))]`` with ``D = sigmoid(logit)``."""
    rng = _rng()
    extreme = np.array([-100.0, -30.0, 0.0, 30.0, 100.0], np.float32)
    cases = [(_logits(rng, 16),), (_logits(rng, 7),), (extreme,)]
    notes = ["", "", " for logits as large as ±100 (a confident discriminator)"]
    _judge(
        "nonsaturating_generator_loss",
        function,
        cases,
        losses.nonsaturating_generator_loss,
        [
            _Mistake(
                "this is the minimax generator loss E[log(1 − D(G(z)))], the saturating "
                "form: its gradient vanishes when D rejects the fakes.",
                lambda f: -_mean(_softplus(f)),
            ),
            _Mistake(
                "the sign is wrong: minimising it would make D(G(z)) smaller.",
                lambda f: -_mean(_softplus(-f)),
            ),
            _Mistake(
                "the saturating loss with the wrong sign: −E[log(1 − D(G(z)))] is the "
                "discriminator's fake term, not the generator's loss.",
                lambda f: _mean(_softplus(f)),
            ),
            _Mistake(
                "it sums over the batch instead of taking the mean.",
                lambda f: np.sum(_softplus(-f)),
            ),
            _Mistake(
                "it returns one value per example; the loss is their mean, a scalar.",
                lambda f: _softplus(-f),
            ),
        ],
        case_notes=notes,
    )


def check_optimal_discriminator(function: Callable) -> None:
    """``function(p_data, p_g)``: two densities on the same points -> ``D*(x)``, same shape."""
    rng = _rng()
    cases = [tuple(rng.uniform(0.01, 2.0, (2, n))) for n in (50, 9, 200)]
    _judge(
        "optimal_discriminator",
        function,
        cases,
        lambda p, q: p / (p + q),
        [
            _Mistake(
                "it gives the probability that x is fake: D* is the probability that x "
                "came from the data.",
                lambda p, q: q / (p + q),
            ),
            _Mistake(
                "it returns the density ratio itself, which is not a probability (it can "
                "exceed 1).",
                lambda p, q: p / q,
            ),
            _Mistake(
                "it returns 1/2 everywhere: that is D* only when p_g = p_data, at the "
                "end of the game.",
                lambda p, q: np.full_like(p, 0.5),
            ),
        ],
    )


def _norms(critic, points) -> np.ndarray:
    points = tf.convert_to_tensor(points)
    with tf.GradientTape() as tape:
        tape.watch(points)
        out = critic(points, training=True)
    return np.linalg.norm(tape.gradient(out, points).numpy().astype(np.float64), axis=1)


def check_gradient_penalty(function: Callable) -> None:
    """``function(critic, real, fake, epsilon)``: ``real``, ``fake`` ``(N, 4)``, ``epsilon``
    ``(N,)`` -> a scalar, ``E[(||∇ critic(x̂)||₂ − 1)²]`` at ``x̂ = ε x + (1 − ε) x̃``."""
    rng = _rng()
    critic = keras.Sequential([keras.Input((4,)), _dense(16, rng, "tanh"), _dense(1, rng)])
    cases = []
    for n in (8, 5):
        real, fake = rng.normal(size=(2, n, 4)).astype(np.float32) * 2
        cases.append((critic, real, fake, rng.uniform(size=n).astype(np.float32)))

    def mixed(real, fake, eps):
        return eps[:, None] * real + (1 - eps[:, None]) * fake

    def penalty(c, points, reduce=np.mean, power=1):
        return reduce((_norms(c, points) ** power - 1) ** 2)

    _judge(
        "gradient_penalty",
        function,
        cases,
        lambda c, r, f, e: losses.gradient_penalty(c, r, f, epsilon=e),
        [
            _Mistake(
                "it penalises the squared norm, (||∇||² − 1)²: penalise the norm itself.",
                lambda c, r, f, e: penalty(c, mixed(r, f, e), power=2),
            ),
            _Mistake(
                "it takes the gradient at the real points: take it at the interpolates "
                "between real and fake.",
                lambda c, r, f, e: penalty(c, r),
            ),
            _Mistake(
                "it takes the gradient at the fake points: take it at the interpolates "
                "between real and fake.",
                lambda c, r, f, e: penalty(c, f),
            ),
            _Mistake(
                "it is one-sided, max(0, ||∇|| − 1)²: WGAN-GP penalises norms below 1 too.",
                lambda c, r, f, e: np.mean(np.maximum(_norms(c, mixed(r, f, e)) - 1, 0) ** 2),
            ),
            _Mistake(
                "it sums over the batch instead of taking the mean.",
                lambda c, r, f, e: penalty(c, mixed(r, f, e), reduce=np.sum),
            ),
            _Mistake(
                "it takes one norm of the whole batch's gradient; take one norm per example.",
                lambda c, r, f, e: (np.linalg.norm(_norms(c, mixed(r, f, e))) - 1) ** 2,
            ),
            _Mistake(
                "ε and 1 − ε are swapped: x̂ = ε·real + (1 − ε)·fake.",
                lambda c, r, f, e: penalty(c, mixed(f, r, e)),
            ),
        ],
        rtol=1e-3,
        atol=1e-4,
    )


# --- Chapter 3 -------------------------------------------------------------------------------


def check_tanh_scaling(function: Callable) -> None:
    """``function(pixels)``: uint8 images in 0..255 -> float images in [−1, 1], same shape."""
    rng = _rng()
    cases = [(rng.integers(0, 256, (n, 6, 6, 1)).astype(np.uint8),) for n in (4, 9)]
    cases.append((np.array([[[[0]], [[255]]]], np.uint8),))
    _judge(
        "tanh_scaling",
        function,
        cases,
        lambda p: data.scale_images(p, (-1.0, 1.0)),
        [
            _Mistake(
                "the images come out in [0, 1]; the generator's tanh gives [−1, 1], so the "
                "real images must use the same range.",
                lambda p: p / 255.0,
            ),
            _Mistake(
                "the images come out in [0, 2]: subtract the offset as well.", lambda p: p / 127.5
            ),
            _Mistake(
                "the pixels are not divided by their maximum first: values reach 509.",
                lambda p: p.astype(np.float64) * 2 - 1,
            ),
            _Mistake(
                "the images come out in [−0.5, 0.5]: the range is 2 wide.",
                lambda p: p / 255.0 - 0.5,
            ),
        ],
    )


def check_discriminator_loss(function: Callable) -> None:
    """``function(real_logits, fake_logits, label_smoothing)`` -> a scalar: binary
    cross-entropy with target ``1 − label_smoothing`` for real and 0 for fake."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n), s) for n, s in ((16, 0.0), (9, 0.1), (12, 0.3))]

    def bce(logits, target):
        return _mean(target * _softplus(-logits) + (1 - target) * _softplus(logits))

    _judge(
        "discriminator_loss",
        function,
        cases,
        losses.minimax_discriminator_loss,
        [
            _Mistake(
                "real and fake labels are swapped: real examples have target 1 (or 1 − s).",
                lambda r, f, s: bce(f, 1 - s) + bce(r, 0.0),
            ),
            _Mistake(
                "the smoothing is two-sided: it also moves the fakes' target from 0 to s; "
                "smooth the real target only.",
                lambda r, f, s: bce(r, 1 - s) + bce(f, s),
            ),
            _Mistake(
                "label_smoothing is ignored: the real examples' target should be 1 − s.",
                lambda r, f, s: bce(r, 1.0) + bce(f, 0.0),
            ),
            _Mistake(
                "only the real examples' term is there; add the fakes' term.",
                lambda r, f, s: bce(r, 1 - s),
            ),
            _Mistake(
                "the two terms are averaged; the loss is their sum.",
                lambda r, f, s: (bce(r, 1 - s) + bce(f, 0.0)) / 2,
            ),
        ],
    )


def check_nearest_distances(function: Callable) -> None:
    """``function(samples, training)``: ``(N, D)`` and ``(M, D)`` -> ``(N,)``, the Euclidean
    distance from each sample to its nearest training example."""
    rng = _rng()
    sizes = ((5, 30, 8), (12, 7, 3))
    cases = [(rng.normal(size=(n, d)), rng.normal(size=(m, d))) for n, m, d in sizes]
    table = nearest.pairwise_distances  # (N, M)

    _judge(
        "nearest_distances",
        function,
        cases,
        lambda a, b: nearest.nearest_neighbours(a, b)[0],
        [
            _Mistake(
                "it returns squared distances; take the square root.",
                lambda a, b: table(a, b).min(axis=1) ** 2,
            ),
            _Mistake(
                "it returns the farthest training example's distance; the nearest is asked.",
                lambda a, b: table(a, b).max(axis=1),
            ),
            _Mistake(
                "it returns the nearest example's index, not its distance.",
                lambda a, b: table(a, b).argmin(axis=1),
            ),
            _Mistake(
                "it returns the mean distance to all training examples; the nearest is asked.",
                lambda a, b: table(a, b).mean(axis=1),
            ),
            _Mistake(
                "it gives one value per training example: reduce over the training "
                "examples, one distance per sample.",
                lambda a, b: table(a, b).min(axis=0),
            ),
        ],
    )


# --- Chapter 4 -------------------------------------------------------------------------------


def _gaussian_features(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    mixing = rng.normal(size=(d, d))
    return rng.normal(size=(n, d)) @ mixing + rng.normal(size=d)


def _fd_from_features(a, b) -> float:
    return distances.frechet_distance(
        a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False)
    )


def check_frechet_distance(function: Callable) -> None:
    """``function(features_a, features_b)``: ``(N, d)`` and ``(M, d)`` -> a float, the Fréchet
    distance between Gaussians fitted to each set (mean and covariance)."""
    rng = _rng()
    sizes = ((300, 200, 4), (500, 400, 6))
    cases = [(_gaussian_features(rng, n, d), _gaussian_features(rng, m, d)) for n, m, d in sizes]

    def means_only(a, b):
        return float(np.sum((a.mean(0) - b.mean(0)) ** 2))

    def no_root(a, b):
        sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        return means_only(a, b) + np.trace(sa + sb - 2 * sa @ sb)

    def diagonal(a, b):
        va, vb = a.var(0, ddof=1), b.var(0, ddof=1)
        return means_only(a, b) + np.sum(va + vb - 2 * np.sqrt(va * vb))

    def no_square(a, b):
        return _fd_from_features(a, b) - means_only(a, b) + np.linalg.norm(a.mean(0) - b.mean(0))

    _judge(
        "frechet_distance",
        function,
        cases,
        _fd_from_features,
        [
            _Mistake(
                "only the means are compared; the covariance term Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) "
                "is missing.",
                means_only,
            ),
            _Mistake("the product Σ₁Σ₂ is not square-rooted in the trace term.", no_root),
            _Mistake(
                "it uses per-dimension variances only: the covariances between features "
                "are left out.",
                diagonal,
            ),
            _Mistake("the distance between the means is not squared.", no_square),
        ],
        rtol=1e-3,
        atol=1e-6,
    )


def check_polynomial_mmd2(function: Callable) -> None:
    """``function(x, y)``: features ``(m, d)`` and ``(n, d)`` -> a float, the unbiased MMD²
    with the kernel ``k(a, b) = (a·b / d + 1)³`` (KID on one subset)."""
    rng = _rng()
    sizes = ((40, 30, 5, 0.5), (25, 25, 3, 0.0))
    cases = [(rng.normal(size=(m, d)), rng.normal(size=(n, d)) + shift) for m, n, d, shift in sizes]

    def kernel(a, b, degree=3, scale=True):
        return (a @ b.T / (a.shape[1] if scale else 1) + 1) ** degree

    def biased(x, y):
        return kernel(x, x).mean() + kernel(y, y).mean() - 2 * kernel(x, y).mean()

    def variant(x, y, **kw):
        m, n = len(x), len(y)
        kxx, kyy = kernel(x, x, **kw), kernel(y, y, **kw)
        within = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        within += (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
        return within - 2 * kernel(x, y, **kw).mean()

    _judge(
        "polynomial_mmd2",
        function,
        cases,
        distances._polynomial_mmd2,
        [
            _Mistake(
                "it is the biased estimate: the within-set sums include each point paired "
                "with itself (the diagonal).",
                biased,
            ),
            _Mistake(
                "the kernel is quadratic; KID's is cubic.", lambda x, y: variant(x, y, degree=2)
            ),
            _Mistake(
                "the dot product is not divided by the dimension d.",
                lambda x, y: variant(x, y, scale=False),
            ),
            _Mistake(
                "the cross term is added; it is subtracted, twice.",
                lambda x, y: variant(x, y) + 4 * kernel(x, y).mean(),
            ),
        ],
        rtol=1e-3,
        atol=1e-6,
    )


# --- Chapter 5 -------------------------------------------------------------------------------


def check_standardize_codes(function: Callable) -> None:
    """``function(codes)``: ``(N, d)`` -> ``(standardized, mean, std)``; each code unit gets
    zero mean and unit standard deviation; ``mean`` and ``std`` are ``(d,)``."""
    rng = _rng()
    cases = [
        (rng.normal(size=(n, d)) * rng.uniform(0.2, 5, d) + rng.normal(size=d) * 3,)
        for n, d in ((200, 8), (50, 3))
    ]

    def reference(codes):
        mean, std = codes.mean(axis=0), codes.std(axis=0)
        return (codes - mean) / std, mean, std

    def over(codes, axis):
        mean, std = codes.mean(axis=axis, keepdims=True), codes.std(axis=axis, keepdims=True)
        return (codes - mean) / std, np.squeeze(mean), np.squeeze(std)

    _judge(
        "standardize_codes",
        function,
        cases,
        reference,
        [
            _Mistake(
                "one mean and one std for all the numbers: each code unit (column) needs its own.",
                lambda c: over(c, None),
            ),
            _Mistake(
                "it standardises each example (row); each code unit (column) is asked.",
                lambda c: over(c, 1),
            ),
            _Mistake(
                "the codes are divided by the std but not centred.",
                lambda c: (c / c.std(0), c.mean(0), c.std(0)),
            ),
        ],
        rtol=1e-3,
        atol=1e-5,
    )


def check_latent_gan_sampling(function: Callable) -> None:
    """``function(noise, generator, decoder, code_mean, code_std)`` -> images: the generator's
    standardised codes, put back in the autoencoder's code scale, then decoded."""
    rng = _rng()
    generator = keras.Sequential([keras.Input((5,)), _dense(4, rng)])
    decoder = keras.Sequential([keras.Input((4,)), _dense(12, rng, "tanh")])
    mean = rng.normal(size=4).astype(np.float32) * 3
    std = rng.uniform(0.3, 4, 4).astype(np.float32)
    cases = [
        (rng.normal(size=(n, 5)).astype(np.float32), generator, decoder, mean, std) for n in (6, 3)
    ]

    def decode(d, codes):
        return d(np.asarray(codes, np.float32)).numpy()

    def generate(g, z):
        return g(z).numpy()

    _judge(
        "latent_gan_sampling",
        function,
        cases,
        lambda z, g, d, m, s: decode(d, generate(g, z) * s + m),
        [
            _Mistake(
                "the generator's codes are decoded as they are: they are standardised, so "
                "undo the standardisation first.",
                lambda z, g, d, m, s: decode(d, generate(g, z)),
            ),
            _Mistake(
                "the codes are standardised again; the generator's output needs the inverse step.",
                lambda z, g, d, m, s: decode(d, (generate(g, z) - m) / s),
            ),
            _Mistake(
                "the noise is decoded directly: the generator is skipped.",
                lambda z, g, d, m, s: decode(d, z[:, :4]),
            ),
            _Mistake(
                "the mean is added before scaling by the std; scale first, then shift.",
                lambda z, g, d, m, s: decode(d, (generate(g, z) + m) * s),
            ),
        ],
        rtol=1e-3,
        atol=1e-5,
    )


# --- Chapter 6 -------------------------------------------------------------------------------


def check_circle_means(function: Callable) -> None:
    """``function(k, radius)`` -> ``(k, 2)``: ``k`` points evenly spaced on a circle of
    ``radius`` around the origin, the first at angle 0 (the AAE's mixture prior)."""
    rng = _rng()
    cases = [(int(rng.integers(3, 12)), float(rng.uniform(1, 6))) for _ in range(3)]

    def ring(k, r, angles=None):
        a = 2 * np.pi * np.arange(k) / k if angles is None else angles
        return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)

    _judge(
        "circle_means",
        function,
        cases,
        lambda k, r: GaussianMixturePrior(2, k, r).means,
        [
            _Mistake(
                "the last point repeats the first: k angles from 0 to 2π inclusive put two "
                "points at angle 0.",
                lambda k, r: ring(k, r, np.linspace(0, 2 * np.pi, k)),
            ),
            _Mistake(
                "the angles are in degrees; numpy's cos and sin take radians.",
                lambda k, r: ring(k, r, 360.0 * np.arange(k) / k),
            ),
            _Mistake(
                "the points lie on the unit circle: scale them by the radius.",
                lambda k, r: ring(k, 1.0),
            ),
            _Mistake(
                "the points are spaced over half the circle.",
                lambda k, r: ring(k, r, np.pi * np.arange(k) / k),
            ),
            _Mistake(
                "it returns (2, k): one row per component is expected, (k, 2).",
                lambda k, r: ring(k, r).T,
            ),
        ],
        rtol=1e-4,
        atol=1e-4,
    )


def _d_loss(real, fake) -> float:
    return _mean(_softplus(-real)) + _mean(_softplus(fake))


def check_aae_losses(function: Callable) -> None:
    """``function(prior_logits, code_logits)`` -> ``(discriminator_loss, encoder_loss)``: the
    code discriminator calls prior samples real and encoder codes fake; the encoder's
    loss is the non-saturating one on its codes."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n)) for n in (16, 7)]

    def reference(p, c):
        return losses.minimax_discriminator_loss(p, c), losses.nonsaturating_generator_loss(c)

    _judge(
        "aae_losses",
        function,
        cases,
        reference,
        [
            _Mistake(
                "the roles are swapped: the prior's samples are the real ones, the "
                "encoder's codes the fakes.",
                lambda p, c: (_d_loss(c, p), _mean(_softplus(-p))),
            ),
            _Mistake(
                "the encoder's loss is the saturating one, E[log(1 − D(E(x)))].",
                lambda p, c: (_d_loss(p, c), -_mean(_softplus(c))),
            ),
            _Mistake(
                "the encoder's loss is computed on the prior's logits; the encoder only "
                "moves its own codes.",
                lambda p, c: (_d_loss(p, c), _mean(_softplus(-p))),
            ),
            _Mistake(
                "the encoder's loss has the wrong sign.",
                lambda p, c: (_d_loss(p, c), -_mean(_softplus(-c))),
            ),
        ],
    )


# --- Chapter 7 -------------------------------------------------------------------------------


def check_reparameterize(function: Callable) -> None:
    """``function(mean, log_var, epsilon)``: each ``(N, d)`` -> ``z`` ``(N, d)``, a sample of
    ``N(mean, exp(log_var))`` written as a differentiable function of ``mean`` and ``log_var``."""
    rng = _rng()
    cases = [tuple(rng.normal(size=(3, n, d)).astype(np.float32)) for n, d in ((8, 2), (5, 6))]
    _judge(
        "reparameterize",
        function,
        cases,
        lambda m, v, e: reparameterize(m, v, epsilon=e),
        [
            _Mistake(
                "ε is scaled by the variance exp(log σ²); scale it by the standard deviation σ.",
                lambda m, v, e: m + np.exp(v) * e,
            ),
            _Mistake(
                "ε is scaled by log σ² itself; σ is its exponential, halved in the exponent.",
                lambda m, v, e: m + v * e,
            ),
            _Mistake(
                "the mean is missing: z is centred at 0.", lambda m, v, e: np.exp(0.5 * v) * e
            ),
            _Mistake(
                "ε is scaled by 1/σ: the exponent's sign is wrong.",
                lambda m, v, e: m + np.exp(-0.5 * v) * e,
            ),
            _Mistake("z is the mean alone: without ε nothing is sampled.", lambda m, v, e: m),
        ],
    )


def check_kl_divergence(function: Callable) -> None:
    """``function(mean, log_var)``: each ``(N, d)`` -> ``(N,)``, ``KL(N(μ, σ²) || N(0, I))``
    per example, in closed form."""
    rng = _rng()
    cases = [tuple(rng.normal(size=(2, n, d)).astype(np.float32)) for n, d in ((8, 2), (5, 6))]

    def terms(m, v):
        return np.square(m) + np.exp(v) - v - 1.0

    _judge(
        "kl_divergence",
        function,
        cases,
        losses.kl_to_standard_normal,
        [
            _Mistake("the factor 1/2 is missing.", lambda m, v: np.sum(terms(m, v), axis=1)),
            _Mistake(
                "it averages over the code dimensions; the KL of independent dimensions is "
                "their sum.",
                lambda m, v: 0.5 * np.mean(terms(m, v), axis=1),
            ),
            _Mistake(
                "the sign is wrong: a KL divergence is never negative.",
                lambda m, v: -0.5 * np.sum(terms(m, v), axis=1),
            ),
            _Mistake(
                "the −1 inside the sum is missing, so a posterior equal to the prior does "
                "not give 0.",
                lambda m, v: 0.5 * np.sum(terms(m, v) + 1, axis=1),
            ),
            _Mistake(
                "it averages over the batch: one value per example, shape (N,), is asked.",
                lambda m, v: 0.5 * np.mean(np.sum(terms(m, v), axis=1)),
            ),
            _Mistake(
                "log_var is used as if it were σ; it is log σ².",
                lambda m, v: 0.5 * np.sum(np.square(m) + v**2 - np.log(v**2) - 1, axis=1),
            ),
        ],
    )


# --- Chapter 8 -------------------------------------------------------------------------------


def check_bigan_losses(function: Callable) -> None:
    """``function(real_pair_logits, fake_pair_logits)`` -> ``(discriminator_loss,
    encoder_generator_loss)``: D calls ``(x, E(x))`` real and ``(G(z), z)`` fake; E and G
    minimise the same cross-entropy with the labels swapped."""
    rng = _rng()
    cases = [(_logits(rng, n), _logits(rng, n)) for n in (16, 7)]

    def reference(r, f):
        return losses.minimax_discriminator_loss(r, f), losses.minimax_discriminator_loss(f, r)

    _judge(
        "bigan_losses",
        function,
        cases,
        reference,
        [
            _Mistake(
                "the encoder–generator loss covers the generator's pairs only; the "
                "encoder's pairs (x, E(x)) must also fool D.",
                lambda r, f: (_d_loss(r, f), _mean(_softplus(-f))),
            ),
            _Mistake(
                "the encoder–generator loss is the discriminator's with a minus sign (the "
                "saturating minimax form); swap the labels instead.",
                lambda r, f: (_d_loss(r, f), -_d_loss(r, f)),
            ),
            _Mistake(
                "the discriminator's labels are swapped: (x, E(x)) is the real pair.",
                lambda r, f: (_d_loss(f, r), _d_loss(r, f)),
            ),
        ],
    )


def check_nearest_neighbour_accuracy(function: Callable) -> None:
    """``function(train_codes, train_labels, test_codes, test_labels)`` -> a float: the share of
    test codes whose nearest training code (Euclidean) has the same label."""
    rng = _rng()
    cases = []
    for n, m, d in ((60, 25, 2), (80, 30, 5)):
        centres = rng.normal(size=(4, d)) * 2
        train_labels, test_labels = rng.integers(0, 4, n), rng.integers(0, 4, m)
        train = centres[train_labels] + rng.normal(size=(n, d))
        test = centres[test_labels] + rng.normal(size=(m, d))
        cases.append((train, train_labels, test, test_labels))

    def accuracy(x, y, xt, yt, pick=np.argmin):
        return float(np.mean(y[pick(nearest.pairwise_distances(xt, x), axis=1)] == yt))

    _judge(
        "nearest_neighbour_accuracy",
        function,
        cases,
        accuracy,
        [
            _Mistake(
                "it counts correct codes instead of their share.",
                lambda x, y, xt, yt: accuracy(x, y, xt, yt) * len(yt),
            ),
            _Mistake(
                "it votes with the farthest training code, not the nearest.",
                lambda x, y, xt, yt: accuracy(x, y, xt, yt, pick=np.argmax),
            ),
            _Mistake(
                "it scores the training codes against themselves (each is its own nearest "
                "neighbour); score the test codes.",
                lambda x, y, xt, yt: 1.0,
            ),
            _Mistake(
                "it returns the error rate, not the accuracy.",
                lambda x, y, xt, yt: 1.0 - accuracy(x, y, xt, yt),
            ),
        ],
    )


# --- Chapter 9 -------------------------------------------------------------------------------


def _fid_curve(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    seconds = np.cumsum(rng.uniform(5, 30, n))
    fids = 150 * np.exp(-seconds / seconds[-1] * 3) + rng.uniform(0, 15, n)
    return [(float(s), float(f)) for s, f in zip(seconds, fids, strict=True)]


def check_seconds_to_reach(function: Callable) -> None:
    """``function(curve, fid)``: ``curve`` a list of ``(seconds, FID)`` -> the first second at
    which the FID is at or below ``fid``; ``float('nan')`` if it never is."""
    rng = _rng()
    cases = []
    for _ in range(3):
        curve = _fid_curve(rng, 12)
        cases.append((curve, float(np.median([f for _, f in curve]))))
    curve = _fid_curve(rng, 8)
    cases.append((curve, min(f for _, f in curve[:5])))  # first reached exactly
    cases.append((curve, min(f for _, f in curve) - 1.0))  # never reached

    def reached(curve, fid):
        return [s for s, f in curve if f <= fid]

    _judge(
        "seconds_to_reach",
        function,
        cases,
        comparison.seconds_to_reach,
        [
            _Mistake(
                "it returns the last time the curve is at or below the target; the first is asked.",
                lambda c, fid: (reached(c, fid) or [np.nan])[-1],
            ),
            _Mistake(
                "it returns the index of the measurement, not its time in seconds.",
                lambda c, fid: next((i for i, (_, f) in enumerate(c) if f <= fid), np.nan),
            ),
            _Mistake(
                "it needs the FID strictly below the target; at the target counts too.",
                lambda c, fid: next((s for s, f in c if f < fid), np.nan),
            ),
            _Mistake(
                "a run that never reaches the target should give NaN.",
                lambda c, fid: (reached(c, fid) or [np.inf])[0],
            ),
        ],
        case_notes=[
            "",
            "",
            "",
            " when a measurement equals the target",
            " when the target is never reached",
        ],
    )


def check_fid_at_budget(function: Callable) -> None:
    """``function(curve, seconds)``: ``curve`` a list of ``(seconds, FID)`` -> the FID of the
    last measurement taken at or before ``seconds``; ``float('nan')`` if there is none."""
    rng = _rng()
    cases = []
    for _ in range(3):
        curve = _fid_curve(rng, 10)
        cases.append((curve, float(rng.uniform(curve[1][0], curve[-1][0]))))
    curve = _fid_curve(rng, 6)
    cases += [(curve, curve[3][0]), (curve, curve[0][0] / 2)]
    rising = [(s, f + 40.0 * (i == 4)) for i, (s, f) in enumerate(_fid_curve(rng, 6))]
    cases.append((rising, rising[4][0] + 1.0))  # the last measurement is worse than the best

    def before(curve, seconds):
        return [f for s, f in curve if s <= seconds]

    _judge(
        "fid_at_budget",
        function,
        cases,
        lambda c, t: (before(c, t) or [np.nan])[-1],
        [
            _Mistake(
                "it returns the best FID so far; the model at the budget is the last one "
                "measured, which may be worse.",
                lambda c, t: min(before(c, t), default=np.nan),
            ),
            _Mistake(
                "it returns the first measurement after the budget: that run had more time.",
                lambda c, t: next((f for s, f in c if s > t), np.nan),
            ),
            _Mistake(
                "a measurement taken exactly at the budget counts.",
                lambda c, t: ([f for s, f in c if s < t] or [np.nan])[-1],
            ),
            _Mistake(
                "with no measurement by the budget it should give NaN.",
                lambda c, t: (before(c, t) or [c[0][1]])[-1],
            ),
        ],
        case_notes=[
            "",
            "",
            "",
            " with a measurement exactly at the budget",
            " with no measurement before the budget",
            " when the FID rose late in the run",
        ],
    )


CHECKS: dict[str, Callable[[Callable], None]] = {
    name: function for name, function in globals().items() if name.startswith("check_")
}
"""Every check of the book, by name."""
