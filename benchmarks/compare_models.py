"""Every generative model of the book, several seeds, one wall-clock budget: chapter 9's grid.

    python benchmarks/compare_models.py [--seconds 300] [--seeds 0 1 2] [--models ...]

Each (model, seed) trains in a fresh Python process (nothing left over from the previous
run) for ``--seconds`` of training on the offline training digits, then is measured with
:func:`aegan_tf.book.comparison.measure` (2,000 samples against the training split). Each run is
added to the results file as soon as it ends (by default the one the package ships,
``aegan_tf/book/results/compare_models.json``, which chapter 9 reads, with 12 samples per run in
``compare_models_samples.npz``), so an interrupted grid resumes where it stopped: runs
already in the file for the same budget are skipped. Prints a
Markdown table: per model, the mean and standard deviation over seeds, ranked by mean FID.
``--models`` defaults to every family (:data:`aegan_tf.book.comparison.MODELS`; the
conditional one trains on the digits' labels); each trains in the setting that
``benchmarks/tune_models.py`` chose for it on held-out digits (``--settings tuned``, the
default: every family must have its tuning runs) or as its chapter configures it
(``--settings chapter``). A latent GAN's run also measures the mixture baseline fitted to its
own autoencoder's codes (:func:`aegan_tf.book.comparison.mixture_on_own_autoencoder`, with the
mixture family's setting), as a row of its own; every model of codes also records the FID of
its autoencoder's reconstructions of 2,000 training digits (``reconstruction FID``, the bound of
a model of those codes). Every run records its setting and its
training steps. Run it with nothing else running on the machine: the budget is wall-clock
time, and the same machine's speed differs between sittings. Chapter 9's second sitting is
``--models "latent GAN" "latent diffusion" "conditional latent GAN" --results
aegan_tf/book/results/compare_models_second_sitting.json``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

from common import add_run, add_samples, run_fresh, run_missing


def run_one(
    model: str, seed: int, seconds: float, curve_every: float, path: Path, settings: dict
) -> None:
    """Train and measure one (model, seed) in its setting of ``settings`` (by family; the
    chapter's if absent); add it to the results file, with the mixture on a latent GAN's own
    autoencoder after it."""

    from aegan_tf import data
    from aegan_tf.book import comparison

    images, labels = data.load("mnist", "train")
    contestant = comparison.train_contestant(
        model, images, seconds, seed, curve_every, setting=settings.get(model), labels=labels
    )
    report = comparison.measure(contestant, images)
    if model in comparison.CODE_MODELS:  # the bound of a model of its codes
        report["reconstruction FID"] = comparison.reconstruction_report(contestant, images)["FID"]
    add(path, contestant, report, seed, seconds)
    if model == "latent GAN":
        mixture = "autoencoder + Gaussian mixture"
        setting = settings.get(mixture, next(iter(comparison.SETTINGS[mixture])))
        options = comparison.SETTINGS[mixture][setting]
        own = comparison.mixture_on_own_autoencoder(
            contestant, images, options["n_components"], seed
        )
        add(path, own, comparison.measure(own, images), seed, seconds)


def add(path: Path, contestant, report: dict, seed: int, seconds: float) -> None:
    """Add a measured contestant's run and its 12 samples to the results file."""
    add_run(path, {
        "model": contestant.name, "setting": contestant.setting, "seed": seed,
        "budget seconds": seconds, "steps": contestant.steps,
        **{k: float(v) for k, v in report.items()},
        "curve": [*contestant.curve, (contestant.seconds, float(report["FID"]))],
    })  # fmt: skip
    key = f"{contestant.name} | {seed} | {seconds:g}"
    add_samples(path, key, contestant.sample(12, seed=seed))


def table(runs: list[dict], seconds: float) -> str:
    """Markdown: per model, mean ± std over seeds of each column, best mean FID first."""
    from aegan_tf.book.comparison import format_summary, summarize

    rows = format_summary(summarize(runs, seconds))
    lines = ["| " + " | ".join(rows[0]) + " |", "|---" * len(rows[0]) + "|"]
    lines += ["| " + " | ".join(row.values()) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.comparison import (
        MODELS,
        RESULTS,
        TUNING,
        chosen_settings,
        load_results,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--curve-every", type=float, default=30.0,
                        help="seconds of training between FID measurements")  # fmt: skip
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--settings", choices=("tuned", "chapter"), default="tuned")
    parser.add_argument("--tuning", type=Path, default=TUNING,
                        help="the tuning runs that choose each family's setting")  # fmt: skip
    parser.add_argument("--one", nargs=2, metavar=("MODEL", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine
    settings = {}
    if args.settings == "tuned":
        settings = chosen_settings(load_results(args.tuning)["runs"])
        untuned = [m for m in args.models if m not in settings]
        if untuned:
            parser.error(f"no tuning runs in {args.tuning} for {untuned}: run "
                         "benchmarks/tune_models.py first, or pass --settings chapter")  # fmt: skip
    if args.one:
        model, seed = args.one
        run_one(model, int(seed), args.seconds, args.curve_every, args.results, settings)
        return

    def run(model: str, seed: int, **_) -> None:  # in a fresh process: nothing left over
        print(f"{model}, seed {seed}: training for {args.seconds:g} s", flush=True)
        run_fresh(__file__, "--one", model, seed, "--seconds", args.seconds,
                  "--curve-every", args.curve_every, "--results", args.results,
                  "--settings", args.settings, "--tuning", args.tuning)  # fmt: skip

    grid = [
        {"model": model, "seed": seed, "budget seconds": args.seconds}
        for seed in args.seeds
        for model in args.models
    ]
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "{model}, seed {seed}")
    print(table(load_results(args.results)["runs"], args.seconds))


if __name__ == "__main__":
    main()
