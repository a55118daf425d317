"""Chapter 2's ring GAN at two generator learning rates, several seeds: modes covered and D.

    python benchmarks/ring_gan_seeds.py [--seeds 0 1 2 3 4] [--rates 1e-3 1e-4] [--epochs 200]

Each (rate, seed) trains :func:`aegan_tf.book.ring_gan.train` on 10,000 ring points drawn with
the seed (the run chapter 2 makes with ``AEGAN_SEED`` set to that seed) and measures it with
:func:`aegan_tf.book.ring_gan.report` (2,000 samples, noise seed ``seed + 1``). Each run is added
to the results file as it ends (by default the one the package ships, which chapter 2
reads); runs already there are skipped. Prints a Markdown table: per rate, mean ± standard
deviation over the seeds (ddof = 1) and the range.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

import numpy as np
from common import add_run, run_missing  # (benchmarks/ is the script's folder: on sys.path)

STD = 0.05  # of each Gaussian, as in chapter 2


def run_one(g_learning_rate: float, seed: int, epochs: int, path: Path) -> None:
    """Train and measure one (rate, seed); add it to the results file."""
    from aegan_tf import data
    from aegan_tf.book import ring_gan

    points, centers = data.ring_of_gaussians(10_000, modes=8, radius=2.0, std=STD, seed=seed)
    name = f"G at {g_learning_rate:g}, seed {seed}"
    gan = ring_gan.train(points, g_learning_rate, epochs=epochs, seed=seed, name=name)
    result = ring_gan.report(gan, centers, std=STD, seed=seed + 1)
    add_run(path, {
        "g_learning_rate": g_learning_rate, "seed": seed, "epochs": epochs,
        **ring_gan.as_record(result),
    })  # fmt: skip


def table(runs: list[dict]) -> str:
    """Markdown: per rate, mean ± std (ddof = 1) and range over the seeds."""
    lines = ["| G's rate | seeds | modes covered | good samples | mean D(G(z)) |", "|---" * 5 + "|"]
    for rate in sorted({r["g_learning_rate"] for r in runs}, reverse=True):
        rows = [r for r in runs if r["g_learning_rate"] == rate]
        cells = []
        for values in (
            [sum(r["covered"]) for r in rows],
            [r["good_share"] for r in rows],
            [r["d_fake"] for r in rows],
        ):
            values = np.asarray(values, float)
            spread = values.std(ddof=1) if len(values) > 1 else float("nan")
            low, high = values.min(), values.max()
            cells.append(f"{values.mean():.2f} ± {spread:.2f} ({low:.2f}–{high:.2f})")
        lines.append(f"| {rate:g} | {len(rows)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.ring_gan import RESULTS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--rates", type=float, nargs="+", default=[1e-3, 1e-4])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    grid = [
        {"g_learning_rate": rate, "seed": seed, "epochs": args.epochs}
        for rate in args.rates
        for seed in args.seeds
    ]
    run = partial(run_one, path=args.results)
    run_missing(
        grid,
        lambda: load_results(args.results)["runs"],
        run,
        "G at {g_learning_rate:g}, seed {seed}",
    )
    print(table([r for r in load_results(args.results)["runs"] if r["epochs"] == args.epochs]))


if __name__ == "__main__":
    main()
