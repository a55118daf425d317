"""Chapter 3's two tips against its DCGAN, several seeds: curves, FID and samples.

    python benchmarks/dcgan_tips.py [--seeds 0 1 2] [--tips ...] [--epochs 8]

Each (tip, seed) trains :func:`aegan_tf.book.dcgan_tips.build` with the tip's settings on the
4,000 offline training digits in [-1, 1] (batches of 64 shuffled with the seed: the run
chapter 3 makes with ``AEGAN_SEED`` set to that seed), measuring the FID of 1,000 samples
against the 1,000 test digits every 2 epochs and at the end, and at the end chapter 4's
table row (:func:`aegan_tf.metrics.sample_report` of 500 samples, noise seed ``seed + 1``,
against the training digits, precision and recall against the last 500). Each run is added to the
results file as it ends (by default the one the package ships, which chapter 3 reads,
with 10 samples per run beside it); runs already there are skipped. Prints a Markdown
table: per tip, the FID's mean ± standard deviation over the seeds (ddof = 1) and range.
"""

from __future__ import annotations

import argparse
import os
from functools import partial
from pathlib import Path

import numpy as np
from common import (  # (benchmarks/ is the script's folder: on sys.path)
    add_run,
    add_samples,
    run_missing,
)

os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine


def run_one(tip: str, seed: int, epochs: int, path: Path) -> None:
    """Train and measure one (tip, seed); add it to the results file and its samples."""
    from aegan_tf import data, metrics
    from aegan_tf.book import dcgan_tips
    from aegan_tf.callbacks import QualityMetrics
    from aegan_tf.training import train

    x_train, _ = data.load("mnist", "train", value_range=(-1.0, 1.0), limit=4000)
    x_test, _ = data.load("mnist", "test", value_range=(-1.0, 1.0), limit=1000)
    gan = dcgan_tips.build(seed, **dcgan_tips.TIPS[tip])
    quality = QualityMetrics(x_test, every=2)
    run = train(
        gan,
        data.make_dataset(x_train, batch_size=64, seed=seed),
        epochs=epochs,
        name=f"{tip}, seed {seed}",
        callbacks=[quality],
    )
    log = {k: [float(v) for v in values] for k, values in run.history.history.items()}
    report = metrics.sample_report(
        gan.generate(500, seed=seed + 1), x_train, (-1.0, 1.0), pr_reference=500
    )
    add_run(path, {
        "tip": tip, "seed": seed, "epochs": epochs,
        "fid": log["fid"][-1], "fid_curve": log["fid"],
        **{k: log[k] for k in ("d_real", "d_fake", "d_loss", "g_loss")},
        "report": {k: float(v) for k, v in report.items()},
    })  # fmt: skip
    add_samples(path, f"{tip} | {seed}", (gan.generate(10, seed=seed + 2) + 1) / 2)


def table(runs: list[dict]) -> str:
    """Markdown: per tip, the final FID's mean ± std (ddof = 1) and range over the seeds."""
    lines = ["| tip | seeds | FID | range |", "|---|---|---|---|"]
    for tip in dict.fromkeys(r["tip"] for r in runs):
        fids = np.array([r["fid"] for r in runs if r["tip"] == tip])
        spread = fids.std(ddof=1) if len(fids) > 1 else float("nan")
        lines.append(
            f"| {tip} | {len(fids)} | {fids.mean():.1f} ± {spread:.1f} | "
            f"{fids.min():.1f}–{fids.max():.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.dcgan_tips import RESULTS, TIPS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--tips", nargs="+", default=list(TIPS), choices=list(TIPS))
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.epochs % 2:
        parser.error("--epochs must be even: the FID is measured every 2 epochs, and at the end.")
    grid = [
        {"tip": tip, "seed": seed, "epochs": args.epochs}
        for seed in args.seeds
        for tip in args.tips
    ]
    run, done = partial(run_one, path=args.results), lambda: load_results(args.results)["runs"]
    run_missing(grid, done, run, "{tip}, seed {seed}")
    print(table([r for r in load_results(args.results)["runs"] if r["epochs"] == args.epochs]))


if __name__ == "__main__":
    main()
