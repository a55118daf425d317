"""Chapter 8's BiGAN against the latent regressor, and without its R1 penalty, several seeds.

    python benchmarks/mlp_bigan.py [--seeds 0 1 2] [--epochs 50]

For each seed, on the 4,000 offline training digits (in [0, 1], batches of 128):

- ``BiGAN``: :func:`aegan_tf.book.mlp_bigan.build`, trained for ``--epochs`` epochs;
- ``BiGAN without R1``: the same with the R1 penalty's weight 0 (Donahue et al.'s game);
- ``latent regressor``: :func:`aegan_tf.book.mlp_bigan.build_gan` (the same generator in a
  plain GAN) for the same epochs, then an encoder trained by
  :func:`aegan_tf.book.mlp_bigan.fit_latent_regressor` for as many steps to give back the noise.

Each is scored on the 1,000 test digits by :func:`aegan_tf.book.mlp_bigan.inversion_scores`
(``G(E(x))`` classified as ``x``; 1-nearest-neighbour accuracy of the codes against the
training digits' codes; pixel error), beside the discriminator's last-epoch means on real
and generated examples. Each run is added to the results file when it ends (by default the
one the package ships, which chapter 8 reads); runs already there are skipped. Prints a
Markdown table: per method, the mean ± standard deviation (ddof = 1).
"""

from __future__ import annotations

import argparse
import os
import time
from functools import partial
from pathlib import Path

import numpy as np
from common import add_run, run_missing  # (benchmarks/ is the script's folder: on sys.path)

os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine

SCORES = ("same_class", "nearest_neighbour", "pixel_mse", "d_real", "d_fake")


METHODS = ("BiGAN", "BiGAN without R1", "latent regressor")


def run_cell(seed: int, epochs: int, method: str, path: Path) -> None:
    """Train ``method`` with ``seed`` for ``epochs``; add its run."""
    from aegan_tf import data
    from aegan_tf.book import mlp_bigan
    from aegan_tf.models.composed import map_batches
    from aegan_tf.training import train

    x_train, y_train = data.load("mnist", "train", limit=4000)
    x_test, y_test = data.load("mnist", "test", limit=1000)
    batches = data.make_dataset(x_train, mlp_bigan.BATCH_SIZE, seed=seed)
    started = time.perf_counter()
    if method == "latent regressor":
        model = mlp_bigan.build_gan(seed)
        run = train(model, batches, epochs=epochs, name=f"GAN, seed {seed}")
        steps = int(model.g_optimizer.iterations)
        encoder = mlp_bigan.fit_latent_regressor(model.generator, steps, seed)
        encode = lambda x: map_batches(encoder, x)  # noqa: E731
    else:
        r1_weight = mlp_bigan.R1_WEIGHT if method == "BiGAN" else 0.0
        model = mlp_bigan.build(seed, r1_weight=r1_weight)
        run = train(model, batches, epochs=epochs, name=f"{method}, seed {seed}")
        encode = model.encode
    scores = mlp_bigan.inversion_scores(
        encode, model.generate_from, x_train, y_train, x_test, y_test
    )
    logs = {k: float(run.history.history[k][-1]) for k in ("d_real", "d_fake")}
    result = {"method": method, "seed": seed, "epochs": epochs,
              "steps": int(model.g_optimizer.iterations), **scores, **logs,
              "seconds": time.perf_counter() - started}  # fmt: skip
    print(f"seed {seed}, {method}: " + ", ".join(f"{k} {result[k]:.3f}" for k in SCORES))
    add_run(path, result)


def table(runs: list[dict]) -> str:
    """Markdown: per method, the mean ± std (ddof = 1) over the seeds of each score."""
    lines = [
        "| method | seeds | steps | " + " | ".join(SCORES) + " |",
        "|---" * (3 + len(SCORES)) + "|",
    ]
    for method in dict.fromkeys(r["method"] for r in runs):
        chosen = [r for r in runs if r["method"] == method]
        cells = []
        for key in SCORES:
            values = np.array([r[key] for r in chosen])
            spread = values.std(ddof=1) if len(values) > 1 else float("nan")
            cells.append(f"{values.mean():.3f} ± {spread:.3f}")
        lines.append(
            f"| {method} | {len(chosen)} | {chosen[0]['steps']} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.mlp_bigan import EPOCHS, RESULTS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    grid = [
        {"seed": seed, "epochs": args.epochs, "method": method}
        for seed in args.seeds
        for method in METHODS
    ]
    run = partial(run_cell, path=args.results)
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "seed {seed}, {method}")
    print(table(load_results(args.results)["runs"]))


if __name__ == "__main__":
    main()
