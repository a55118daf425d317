"""Chapter 9's tuning: three settings of every model family, chosen on held-out digits.

    python benchmarks/tune_models.py [--seconds 300] [--seed 0] [--models ...]

Every family of :data:`aegan_tf.book.comparison.SETTINGS` gets the same small budget: its three
settings (the first is its chapter's), each trained once (``--seed``) for ``--seconds`` of
training, in a fresh Python process, on the offline training digits less the ones that
:func:`aegan_tf.book.comparison.validation_split` holds out (with their labels, which the
conditional family trains on); then scored by
:func:`aegan_tf.book.comparison.validation_kid` (KID x 1000 of 2,000 samples against the held-out
digits: unbiased at 500 digits, unlike FID). The test digits are never read. Each run is
added to the results file when it ends (by default the one the package ships,
``aegan_tf/book/results/tune_models.json``; ``benchmarks/compare_models.py`` takes each family's
chosen setting from it), so an interrupted tuning resumes where it stopped. Run a family's
three settings on one machine with nothing else running: the budget is wall-clock time.
Prints a Markdown table, the chosen setting of each family first.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

# benchmarks/ is the script's folder: on sys.path
from common import add_run, run_fresh, run_missing


def run_one(model: str, setting: str, seed: int, seconds: float, path: Path) -> None:
    """Train and score one setting of one family; add it to the results file."""
    from aegan_tf import data
    from aegan_tf.book import comparison

    images, labels = data.load("mnist", "train")
    fitting, held_out = comparison.validation_indices(len(images))  # validation_split's
    contestant = comparison.train_contestant(
        model, images[fitting], seconds, seed, setting=setting, labels=labels[fitting]
    )
    kid, kid_std = comparison.validation_kid(contestant, images[held_out])
    add_run(path, {
        "model": model, "setting": setting, "seed": seed, "budget seconds": seconds,
        "validation KID x 1000": kid, "validation KID std": kid_std,
        "training seconds": contestant.seconds, "steps": contestant.steps,
    })  # fmt: skip
    print(f"{model}, {setting}: validation KID x 1000 {kid:.1f}", flush=True)


def table(runs: list[dict]) -> str:
    """Markdown: every family's settings, its chosen one (lowest validation KID) first."""
    from aegan_tf.book.comparison import chosen_settings

    chosen = chosen_settings(runs)
    lines = ["| model | setting | validation KID x 1000 | steps | chosen |", "|---" * 5 + "|"]
    for model in dict.fromkeys(r["model"] for r in runs):
        ranked = sorted((r for r in runs if r["model"] == model),
                        key=lambda r: r["validation KID x 1000"])  # fmt: skip
        lines += [
            f"| {model} | {r['setting']} | {r['validation KID x 1000']:.1f} "
            f"± {r['validation KID std']:.1f} | {r['steps']} | "
            f"{'yes' if chosen.get(model) == r['setting'] else ''} |"
            for r in ranked
        ]
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.comparison import MODELS, SETTINGS, TUNING, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--results", type=Path, default=TUNING)
    parser.add_argument("--one", nargs=2, metavar=("MODEL", "SETTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine
    if args.one:
        run_one(*args.one, args.seed, args.seconds, args.results)
        return

    def run(model: str, setting: str, **_) -> None:  # in a fresh process: nothing left over
        print(f"{model}, {setting}: training for {args.seconds:g} s", flush=True)
        run_fresh(__file__, "--one", model, setting, "--seed", args.seed,
                  "--seconds", args.seconds, "--results", args.results)  # fmt: skip

    grid = [
        {"model": model, "setting": setting, "seed": args.seed, "budget seconds": args.seconds}
        for model in args.models
        for setting in SETTINGS[model]
    ]
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "{model}, {setting}")
    print(table(load_results(args.results)["runs"]))


if __name__ == "__main__":
    main()
