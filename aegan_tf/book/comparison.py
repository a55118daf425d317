"""Every generative model of the book under one wall-clock budget: train, sample, measure.

Chapter 9 and ``benchmarks/compare_models.py`` both call :func:`train_contestant` (one
model, one seed, one budget in seconds, each model configured as in its chapter or in one of
its :data:`SETTINGS`) and :func:`measure` (chapter 4's report on its samples, plus its
training seconds and sampling speed). Models that start with an autoencoder spend part of
the same budget on it; the models of its codes (:data:`CODE_MODELS`) share one way of
spending it (:class:`CodesBudget`). ``benchmarks/tune_models.py`` gives every family the same small
tuning budget: its three settings, scored by :func:`validation_kid` on the digits that
:func:`validation_split` holds out; :func:`chosen_settings` reads the choice back.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aegan_tf import data, metrics, recipes
from aegan_tf._validation import check_digit_labels, check_images
from aegan_tf.book import _results
from aegan_tf.callbacks import QualityMetrics
from aegan_tf.models import DecodedGaussianMixture, LatentGAN
from aegan_tf.models.codes import StandardisedCodes
from aegan_tf.models.composed import GenerativeModel, output_range
from aegan_tf.training import train

MODELS = (
    "autoencoder + Gaussian",
    "autoencoder + Gaussian mixture",
    "DCGAN",
    "latent GAN",
    "AAE",
    "VAE",
    "VAE-GAN",
    "BiGAN",
    "latent diffusion",
    "conditional latent GAN",
)
"""The contestants, in the book's order: baselines first, then the GANs and the family,
then the heirs of chapters 10 and 11."""

CODE_MODELS = ("latent GAN", "latent diffusion", "conditional latent GAN")
"""The contestants that model a trained autoencoder's codes: their recipes' two phases."""

CONDITIONAL_MODELS = ("conditional latent GAN",)
"""The contestants that train on the digits' labels (and draw uniformly random digits when
sampled without them)."""

COLUMNS = {"FID": 2, "KID x 1000": 1, "precision": 2, "recall": 2, "classes": 1,
           "nearest train image": 2, "steps": 0, "training seconds": 0,
           "images per second": 0}  # fmt: skip
"""The measured columns of a run, in the order of the book's table, and the decimals they
are shown with."""

RESULTS = Path(__file__).parent / "results" / "compare_models.json"
"""The grid of ``benchmarks/compare_models.py``, shipped with the package (its 12 samples
per run are in ``compare_models_samples.npz`` beside it)."""

SECOND_SITTING = Path(__file__).parent / "results" / "compare_models_second_sitting.json"
"""The grid's procedure in a second sitting (its samples beside it): the models of codes that
came after the grid (latent diffusion, the conditional latent GAN) and the latent GAN again
beside them, with the mixture on its own autoencoder. The same machine type's speed differs
between sittings, and a budget in seconds passes it on: these runs are compared among
themselves, not with :data:`RESULTS`'."""

TUNING = Path(__file__).parent / "results" / "tune_models.json"
"""The tuning runs of ``benchmarks/tune_models.py``, shipped with the package."""

VALIDATION_DIGITS = 500  # held out of the training digits to choose each family's setting


@dataclass(frozen=True)
class CodesBudget:
    """How a model of an autoencoder's codes (:data:`CODE_MODELS`) spends its budget (the
    defaults: chapter 5's latent GAN).

    Attributes:
        autoencoder_share: the share of the budget that trains its autoencoder; the model of
            its codes gets the rest.
        encode_once: train the model of codes on the training codes, encoded once (the same
            training, without running the frozen encoder at every step), rather than on
            images.
    """

    autoencoder_share: float = 0.5
    encode_once: bool = False


_BUDGET_FIELDS = tuple(f.name for f in dataclasses.fields(CodesBudget))


@dataclass
class Contestant:
    """A trained model of the comparison.

    Attributes:
        name: one of :data:`MODELS`.
        model: the trained model; ``model.generate(n, seed)`` draws images.
        seconds: training seconds, all phases (autoencoder, density fit, GAN).
        value_range: the range of ``model.generate``'s images.
        steps: training batches, all phases (a latent GAN's autoencoder batches, then its
            GAN's; a mixture's EM iterations are not counted).
        setting: the name of its setting in :data:`SETTINGS`.
        curve: ``(training seconds, FID)`` measured during training (empty if not asked).
        autoencoder: ``(seconds, steps)`` of its autoencoder's training, for the models that
            start with one (included in ``seconds`` and ``steps``); ``(0, 0)`` otherwise.
    """

    name: str
    model: GenerativeModel
    seconds: float
    value_range: tuple[float, float]
    steps: int
    setting: str = ""
    curve: list[tuple[float, float]] = field(default_factory=list)
    autoencoder: tuple[float, int] = (0.0, 0)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` images ``(n, 28, 28, 1)`` in [0, 1], whatever the model's own range."""
        low, high = self.value_range
        return (self.model.generate(n, seed=seed) - low) / (high - low)


def _quality(images, quality_args: dict | None, **settings) -> list[QualityMetrics]:
    """The FID-against-time callback, in a list for ``callbacks=`` (empty without a curve)."""
    return [QualityMetrics(images, **{**quality_args, **settings})] if quality_args else []


def _curve(quality: list[QualityMetrics], history) -> list[tuple[float, float]]:
    if not quality:
        return []
    log = history.history
    return [
        (float(s), float(f))
        for s, f in zip(log["wall_seconds"], log["fid"], strict=True)
        if np.isfinite(f)
    ]


def _decoded_mixture(
    name, setting, images, seconds, seed, quality_args, n_components, learning_rate=2e-3
) -> Contestant:
    autoencoder = recipes.build("autoencoder", seed, learning_rate=learning_rate)
    model = DecodedGaussianMixture.from_autoencoder(autoencoder, n_components)

    def sampler(n: int, sample_seed: int) -> np.ndarray:  # the mixture as it would be now
        model.adapt(images, seed=seed, check=False)
        return model.generate(n, seed=sample_seed)

    quality = _quality(images, quality_args, sampler=sampler)
    run = train(
        autoencoder,
        data.make_dataset(images, batch_size=64, seed=seed),
        seconds=seconds,
        name=f"autoencoder, {n_components}-component mixture",
        callbacks=quality,
    )
    start = time.perf_counter()
    model.adapt(images, seed=seed)
    spent = run.seconds + time.perf_counter() - start
    curve, autoencoder = _curve(quality, run.history), (run.seconds, run.batches)
    return Contestant(name, model, spent, (0.0, 1.0), run.batches, setting, curve, autoencoder)


def _on_codes(
    name, setting, images, labels, seconds, seed, quality_args, budget: CodesBudget, **options
) -> Contestant:
    """A model of codes (its recipe's second phase, with ``options``) on the autoencoder of its
    recipe's first phase, which trains for the budget's share first."""
    autoencoder = recipes.build(name, seed)
    ae_run = train(
        autoencoder,
        data.make_dataset(images, batch_size=64, seed=seed),
        seconds=budget.autoencoder_share * seconds,
        name=f"{name}: autoencoder",
    )
    start = time.perf_counter()
    model = recipes.build_next(name, autoencoder, images, seed, **options)
    examples = model.encode(images) if budget.encode_once else images
    spent = ae_run.seconds + time.perf_counter() - start
    quality = _quality(images, quality_args, already_spent=spent)
    run = train(
        model,
        data.make_dataset(examples, batch_size=64, seed=seed, labels=labels),
        seconds=seconds,
        already_spent=spent,
        name=f"{name}: {recipes.recipe(name).phases[-1]}",
        callbacks=quality,
    )
    steps = ae_run.batches + run.batches
    curve, autoencoder = _curve(quality, run.history), (ae_run.seconds, ae_run.batches)
    return Contestant(name, model, run.seconds, (0.0, 1.0), steps, setting, curve, autoencoder)


SETTINGS: dict[str, dict[str, dict]] = {
    "autoencoder + Gaussian": {
        "Adam 2e-3 (chapter 5)": {"learning_rate": 2e-3},
        "Adam 1e-3": {"learning_rate": 1e-3},
        "Adam 4e-3": {"learning_rate": 4e-3},
    },
    "autoencoder + Gaussian mixture": {
        "10 components (chapter 9)": {"n_components": 10},
        "20 components": {"n_components": 20},
        "40 components": {"n_components": 40},
    },
    "DCGAN": {
        "Adam 2e-4 (chapter 3)": {"d_learning_rate": 2e-4, "g_learning_rate": 2e-4},
        "Adam 1e-4": {"d_learning_rate": 1e-4, "g_learning_rate": 1e-4},
        "Adam 5e-4": {"d_learning_rate": 5e-4, "g_learning_rate": 5e-4},
    },
    "latent GAN": {
        "chapter 5's": {},
        "encoded once": {"encode_once": True},
        "encoded once, EMA 0.999": {"encode_once": True, "ema_momentum": 0.999},
    },
    "AAE": {
        "game Adam 2e-4 (chapter 6)": {"game_rate": 2e-4},
        "game Adam 1e-4": {"game_rate": 1e-4},
        "game Adam 5e-4": {"game_rate": 5e-4},
    },
    "VAE": {
        "Adam 1e-3 (chapter 7)": {"learning_rate": 1e-3},
        "Adam 5e-4": {"learning_rate": 5e-4},
        "Adam 2e-3": {"learning_rate": 2e-3},
    },
    "VAE-GAN": {
        "feature weight 0.1 (chapter 7)": {"feature_weight": 0.1},
        "feature weight 0.03": {"feature_weight": 0.03},
        "feature weight 0.3": {"feature_weight": 0.3},
    },
    "BiGAN": {
        "convolutional (chapter 9)": {},
        "convolutional, R1 10": {"r1_weight": 10.0},
        "MLP, uniform prior, R1 10 (chapter 8)": {"recipe": "MLP BiGAN", "r1_weight": 10.0},
    },
    "latent diffusion": {
        "chapter 10's": {"encode_once": True},
        "EMA 0.999": {"encode_once": True, "ema_momentum": 0.999},
        "Adam 2e-3": {"encode_once": True, "learning_rate": 2e-3},
    },
    "conditional latent GAN": {
        "chapter 11's (projection)": {"encode_once": True},
        "concatenation": {"encode_once": True, "conditioning": "concatenate"},
        "projection, EMA 0.999": {"encode_once": True, "ema_momentum": 0.999},
    },
}
"""Every family's tuning budget: three settings by name, each the keyword options of its
recipe (:mod:`aegan_tf.recipes`, of its second phase for :data:`CODE_MODELS`, beside
:class:`CodesBudget`'s fields; ``"recipe"``: another recipe than the family's own), or the
mixtures' autoencoder rate or components. The first is the configuration of the family's
chapter."""


def train_contestant(
    name: str,
    images: np.ndarray,
    seconds: float,
    seed: int = 0,
    curve_every: float | None = None,
    curve_samples: int = 2000,
    setting: str | None = None,
    labels: np.ndarray | None = None,
) -> Contestant:
    """Train the model ``name`` (one of :data:`MODELS`) on ``images``
    ``(N, 28, 28, 1)`` in [0, 1] for ``seconds`` of training, all phases included, in one of
    its :data:`SETTINGS` (``setting``; ``None``: the first, its chapter's). ``labels``
    ``(N,)``, the images' digits, are required by :data:`CONDITIONAL_MODELS` and not used by
    the others.

    With ``curve_every`` (seconds), FID on ``curve_samples`` samples against ``images`` is
    measured during training about that often (the measuring is not counted as training
    time), for a curve of quality against time.
    """
    if name not in MODELS:
        raise ValueError(f"Unknown model {name!r}; choose one of {MODELS}.")
    check_images(images, "images", (28, 28, 1))
    images = np.asarray(images, np.float32)
    if images.min() < 0 or images.max() > 1:
        raise ValueError(
            f"images must be in [0, 1], got values in [{images.min():.3g}, {images.max():.3g}]."
        )
    if not seconds > 0:
        raise ValueError(f"seconds must be > 0, got {seconds!r}.")
    settings = SETTINGS[name]
    if setting is None:
        setting = next(iter(settings))
    if setting not in settings:
        raise ValueError(f"{name!r} has the settings {list(settings)}, got {setting!r}.")
    options = settings[setting]
    if name in CONDITIONAL_MODELS:
        if labels is None:
            raise ValueError(f"{name!r} trains on the digits' labels: pass labels=.")
        labels = check_digit_labels(labels, len(images), "labels")
    else:
        labels = None
    quality_args = None
    if curve_every is not None:
        quality_args = {"every_seconds": curve_every, "n": curve_samples, "value_range": (0.0, 1.0)}
    if name.startswith("autoencoder"):
        options = {"n_components": 1, **options}
        return _decoded_mixture(name, setting, images, seconds, seed, quality_args, **options)
    if name in CODE_MODELS:
        budget = CodesBudget(**{k: v for k, v in options.items() if k in _BUDGET_FIELDS})
        options = {k: v for k, v in options.items() if k not in _BUDGET_FIELDS}
        return _on_codes(name, setting, images, labels, seconds, seed, quality_args, budget,
                         **options)  # fmt: skip
    options = {"recipe": name, **options}
    model = recipes.build(options.pop("recipe"), seed, **options)
    value_range = output_range(model.decoder if hasattr(model, "decoder") else model.generator)
    low, high = value_range
    scaled = low + (high - low) * images  # the model's own range
    quality = _quality(scaled, quality_args, value_range=value_range)
    run = train(
        model,
        data.make_dataset(scaled, batch_size=64, seed=seed),
        seconds=seconds,
        name=name,
        callbacks=quality,
    )
    curve = _curve(quality, run.history)
    return Contestant(name, model, run.seconds, value_range, run.batches, setting, curve)


OWN_AUTOENCODER_MIXTURE = "latent GAN's autoencoder + Gaussian mixture"
"""The name of :func:`mixture_on_own_autoencoder`'s contestant."""


def mixture_on_own_autoencoder(
    latent_gan: Contestant, images: np.ndarray, n_components: int, seed: int = 0
) -> Contestant:
    """The mixture baseline on a trained latent GAN's own autoencoder: ``n_components``
    fitted to the codes of ``images`` (in [0, 1]) and decoded. What the GAN adds over a
    mixture, with the same autoencoder (the mixture contestant trains its own for the whole
    budget). Its seconds and steps are the autoencoder's, plus the fit's seconds."""
    if not isinstance(latent_gan.model, LatentGAN):
        raise TypeError(f"latent_gan must hold a LatentGAN, got {type(latent_gan.model).__name__}.")
    start = time.perf_counter()
    model = DecodedGaussianMixture(latent_gan.model.encoder, latent_gan.model.decoder, n_components)
    model.adapt(np.asarray(images, np.float32), seed=seed)
    seconds, steps = latent_gan.autoencoder
    spent = seconds + time.perf_counter() - start
    setting = f"{n_components} components, the latent GAN's {latent_gan.setting!r}"
    return Contestant(OWN_AUTOENCODER_MIXTURE, model, spent, (0.0, 1.0), steps, setting)


def measure(
    contestant: Contestant,
    train_images: np.ndarray,
    train_features: np.ndarray | None = None,
    n: int = 2000,
    seed: int = 1,
) -> dict[str, float]:
    """Chapter 4's :func:`aegan_tf.metrics.sample_report` on ``n`` samples against
    ``train_images`` (in [0, 1]), plus ``training seconds`` and ``images per second``
    (sampling speed: ``generate(n)`` timed after a warm-up call)."""
    contestant.sample(64, seed=seed)  # warm-up: the first call traces the networks
    start = time.perf_counter()
    images = contestant.sample(n, seed=seed)
    images_per_second = n / (time.perf_counter() - start)
    return {
        **metrics.sample_report(images, train_images, (0.0, 1.0), train_features),
        "training seconds": contestant.seconds,
        "images per second": images_per_second,
    }


def reconstruction_report(
    contestant: Contestant,
    train_images: np.ndarray,
    train_features: np.ndarray | None = None,
    n: int = 2000,
    seed: int = 1,
) -> dict[str, float]:
    """Chapter 4's :func:`aegan_tf.metrics.sample_report` on the reconstructions of ``n``
    training digits, drawn at random with ``seed``, by the autoencoder of a model of codes
    (:data:`CODE_MODELS`), against ``train_images`` (in [0, 1]): what a model that drew the
    training codes themselves would score, the bound of every model of those codes. (Its
    nearest-training-image distance is that of reconstructions of the training digits.)"""
    if not isinstance(contestant.model, StandardisedCodes):
        raise TypeError(
            f"a model of an autoencoder's codes {CODE_MODELS} reconstructs, got "
            f"{type(contestant.model).__name__}."
        )
    check_images(train_images, "train_images", (28, 28, 1))
    if not 2 <= n <= len(train_images):
        raise ValueError(f"n must be in [2, {len(train_images)}] (the training digits), got {n!r}.")
    chosen = np.random.default_rng(seed).choice(len(train_images), n, replace=False)
    reconstructions = contestant.model.reconstruct(np.asarray(train_images[chosen], np.float32))
    return metrics.sample_report(reconstructions, train_images, (0.0, 1.0), train_features)


def validation_indices(n: int, held_out: int = VALIDATION_DIGITS) -> tuple[np.ndarray, np.ndarray]:
    """The indices of ``n`` images split into ``(to train on, held out)``, the ``held_out``
    ones drawn at random with a fixed seed (the same split for every run)."""
    if not 2 <= held_out < n:
        raise ValueError(f"held_out must be at least 2 and below the {n} images, got {held_out!r}.")
    order = np.random.default_rng(0).permutation(n)
    return order[held_out:], order[:held_out]


def validation_split(
    images: np.ndarray, held_out: int = VALIDATION_DIGITS
) -> tuple[np.ndarray, np.ndarray]:
    """``images`` split into ``(to train on, held out)`` by :func:`validation_indices`."""
    check_images(images, "images", (28, 28, 1))
    fitting, held = validation_indices(len(images), held_out)
    return images[fitting], images[held]


def validation_kid(
    contestant: Contestant, held_out: np.ndarray, n: int = 2000, seed: int = 1
) -> tuple[float, float]:
    """KID x 1000 (:func:`aegan_tf.metrics.kid`, mean and std over its subsets) of ``n``
    samples against the ``held_out`` digits (in [0, 1]), the criterion that chooses a
    family's setting: unbiased, unlike FID, with a few hundred digits."""
    samples = contestant.sample(n, seed=seed)
    mean, std = metrics.kid(held_out, samples, (0.0, 1.0), subset_size=len(held_out))
    return 1000 * mean, 1000 * std


def chosen_settings(runs: list[dict]) -> dict[str, str]:
    """Per family, the setting of the tuning ``runs`` (``benchmarks/tune_models.py``) with
    the lowest validation KID (mean over its seeds)."""
    scores: dict[str, dict[str, list[float]]] = {}
    for run in runs:
        by_setting = scores.setdefault(run["model"], {})
        by_setting.setdefault(run["setting"], []).append(run["validation KID x 1000"])
    return {
        model: min(by_setting, key=lambda setting: float(np.mean(by_setting[setting])))
        for model, by_setting in scores.items()
    }


def load_results(path: str | Path = RESULTS) -> dict:
    """The results file: ``{"runs": [one dict per (model, seed, budget)]}``; each run holds
    the :data:`COLUMNS`, ``model``, ``seed``, ``budget seconds``, ``machine``, ``date``
    and ``curve`` (``[training seconds, FID]`` pairs, the last one the final report)."""
    return _results.load_runs(path)


def load_samples(path: str | Path = RESULTS) -> dict[tuple[str, int, float], np.ndarray]:
    """The samples of each run, ``{(model, seed, budget seconds): images (12, 28, 28, 1)}``
    in [0, 1], from the ``.npz`` beside the results file ``path``."""
    return {
        (model, int(seed), float(seconds)): images
        for (model, seed, seconds), images in _results.load_samples(path).items()
    }


_T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
          2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
          2.060, 2.056, 2.052, 2.048, 2.045, 2.042)  # fmt: skip
"""Student's t distribution's 97.5th percentile for 1 to 30 degrees of freedom."""


def t_interval(values: Sequence[float]) -> tuple[float, float]:
    """The 95% confidence interval of the mean of ``values`` (independent runs, such as
    seeds), Student's t: mean ± t(0.975, n - 1) s / √n, with s the sample standard deviation
    (ddof = 1). NaNs for fewer than two values. Above 30 degrees of freedom t comes from
    Fisher's expansion around the normal 1.96 (within 0.01%)."""
    values = np.asarray(values, float)
    n = values.size
    if n < 2:
        return float("nan"), float("nan")
    df = n - 1
    if df <= len(_T_975):
        t = _T_975[df - 1]
    else:
        z = 1.959964
        t = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    half = t * values.std(ddof=1) / np.sqrt(n)
    return float(values.mean() - half), float(values.mean() + half)


def summarize(runs: list[dict], budget: float) -> list[dict]:
    """Per model, the mean and the standard deviation over seeds (ddof = 1; NaN for one
    seed) of each of :data:`COLUMNS` (keys ``"FID"`` and ``"FID std"``, ...) and the 95%
    interval of its mean (``"FID 95% interval"``: :func:`t_interval`), for the runs of one
    ``budget``; best mean FID first. Each row also has ``model`` and ``seeds`` (how many)."""
    by_model: dict[str, list[dict]] = {}
    for run in runs:
        if run["budget seconds"] == budget:
            by_model.setdefault(run["model"], []).append(run)
    rows = []
    for model, model_runs in by_model.items():
        row = {"model": model, "seeds": len(model_runs)}
        for column in COLUMNS:
            values = np.array([r[column] for r in model_runs], float)
            spread = values.std(ddof=1) if len(values) > 1 else np.nan
            row[column], row[f"{column} std"] = float(values.mean()), float(spread)
            row[f"{column} 95% interval"] = t_interval(values)
        rows.append(row)
    return sorted(rows, key=lambda row: row["FID"])


def format_summary(rows: list[dict]) -> list[dict[str, str]]:
    """The rows of :func:`summarize` as text for a table: ``model``, ``seeds`` and each of
    :data:`COLUMNS` as ``"mean ± std"`` with the column's decimals (the mean alone for one
    seed)."""

    def shown(row: dict, column: str, decimals: int) -> str:
        mean = f"{row[column]:.{decimals}f}"
        return mean if row["seeds"] == 1 else f"{mean} ± {row[column + ' std']:.{decimals}f}"

    return [
        {
            "model": row["model"],
            "seeds": str(row["seeds"]),
            **{c: shown(row, c, d) for c, d in COLUMNS.items()},
        }
        for row in rows
    ]


def seconds_to_reach(curve: list, fid: float) -> float:
    """The first training second at which a run's ``curve`` (``(seconds, FID)`` pairs) is at
    or below ``fid``; NaN if it never gets there."""
    reached = [float(seconds) for seconds, value in curve if value <= fid]
    return reached[0] if reached else float("nan")
