"""Chapter 11's conditional GANs over several seeds: which draws the digit it is asked for.

    python benchmarks/conditional_gans.py [--seeds 0 1 2]

For each seed, in a fresh process, :func:`aegan_tf.book.conditional_gans.train_models` trains
chapter 11's conditional latent GAN (projection discriminator), the same on the same
autoencoder with the label concatenated to the discriminator's input instead, and the
conditional DCGAN, as chapter 11 trains them (its run with ``AEGAN_SEED`` set to the seed), on
the 4,000 offline training digits and their labels; then
:func:`aegan_tf.book.conditional_gans.measure` asks each for 200 samples of every digit. Each
seed's runs are added to the results file when the seed ends (by default the one the package
ships, which chapter 11 reads); seeds already there are skipped. Prints a Markdown table: per
model, the mean ± standard deviation (ddof = 1) over seeds.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

from common import add_run, mean_std_table, run_fresh, run_missing  # (benchmarks/: on sys.path)

COLUMNS = ("asked-digit accuracy", "worst digit accuracy", "intra-class KID x 1000",
           "worst intra-class KID x 1000", "FID", "recall", "training seconds")  # fmt: skip


def run_seed(seed: int, path: Path) -> None:
    """Train and measure every model with ``seed``; add their runs to the results file."""
    from aegan_tf import data, recipes
    from aegan_tf.book import conditional_gans

    images, labels = data.load("mnist", "train")
    trained = conditional_gans.train_models(images, labels, seed)
    for name, (model, seconds) in trained.items():
        recipe = "conditional DCGAN" if name == "conditional DCGAN" else "conditional latent GAN"
        report = conditional_gans.measure(
            model, recipes.recipe(recipe).value_range, images, labels, seed=seed + 1
        )
        add_run(path, {"model": name, "seed": seed, "training seconds": seconds, **report})
        print(f"seed {seed}, {name}: asked-digit accuracy {report['asked-digit accuracy']:.3f}, "
              f"FID {report['FID']:.2f}", flush=True)  # fmt: skip


def table(runs: list[dict]) -> str:
    """Markdown: per model, mean ± std over seeds of each of :data:`COLUMNS`."""
    models = dict.fromkeys(r["model"] for r in runs)
    return mean_std_table(
        "model", {m: [r for r in runs if r["model"] == m] for m in models}, COLUMNS
    )


def main() -> None:
    from aegan_tf.book.conditional_gans import RESULTS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine
    if args.one is not None:
        run_seed(args.one, args.results)
        return

    def run(seed: int) -> None:  # in a fresh process: nothing left over
        print(f"seed {seed}", flush=True)
        run_fresh(__file__, "--one", seed, "--results", args.results)

    grid = [{"seed": seed} for seed in args.seeds]
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "seed {seed}")
    print(table(load_results(args.results)["runs"]))


if __name__ == "__main__":
    main()
