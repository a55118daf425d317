"""Chapter 5's latent GAN with each GAN objective on the same autoencoder, several seeds.

    python benchmarks/latent_objectives.py [--seeds 0 1 2] [--objectives ...]

For each seed, trains chapter 5's autoencoder
(:func:`aegan_tf.book.latent_objectives.build_autoencoder`, 10 epochs on the 4,000 offline
training digits in [0, 1], batches of 64 shuffled with the seed), then on its codes the latent
GAN with each of :data:`aegan_tf.book.latent_objectives.OBJECTIVES` for that objective's epochs
(the run chapter 5 makes with ``AEGAN_SEED`` set to that seed), measuring the FID of 1,000
samples against the training digits every 5 epochs, and at the end chapter 5's table row
(:func:`aegan_tf.metrics.sample_report` of 1,000 samples, noise seed ``seed + 1``, against the
training digits). The autoencoder's reconstructions of the 1,000 test digits are recorded as the
objective "autoencoder reconstructions". Each seed's runs are added to the results file when the
seed ends (by default the one the package ships, which chapter 5 reads);
seeds already there are skipped. Prints a Markdown table: per objective, the mean ± standard
deviation over the seeds (ddof = 1) of FID, recall and classes.
"""

from __future__ import annotations

import argparse
import os
from functools import partial
from pathlib import Path

from common import add_run, mean_std_table, run_missing  # (benchmarks/: the script's folder)

os.environ.setdefault("AEGAN_OFFLINE", "1")  # the same data on every machine

RECONSTRUCTIONS = "autoencoder reconstructions"


def run_seed(seed: int, objectives: list[str], path: Path) -> None:
    """Train the autoencoder and each objective's latent GAN with ``seed``; add their runs."""
    from aegan_tf import data, metrics
    from aegan_tf.book import latent_objectives
    from aegan_tf.callbacks import QualityMetrics
    from aegan_tf.training import train

    x_train, _ = data.load("mnist", "train", limit=4000)
    x_test, _ = data.load("mnist", "test", limit=1000)
    features = metrics.extract_features(x_train, (0.0, 1.0))
    autoencoder = latent_objectives.build_autoencoder(seed=seed)
    train(
        autoencoder,
        data.make_dataset(x_train, batch_size=64, seed=seed),
        epochs=latent_objectives.AUTOENCODER_EPOCHS,
        name=f"autoencoder, seed {seed}",
    )
    report = metrics.sample_report(
        autoencoder.predict(x_test, verbose=0), x_train, (0.0, 1.0), features
    )
    runs = [{"objective": RECONSTRUCTIONS, "seed": seed,
             "epochs": latent_objectives.AUTOENCODER_EPOCHS,
             "report": {k: float(v) for k, v in report.items()}}]  # fmt: skip
    for objective in objectives:
        model = latent_objectives.build(autoencoder, x_train, objective, seed)
        epochs = latent_objectives.OBJECTIVES[objective]["epochs"]
        run = train(
            model,
            data.make_dataset(x_train, batch_size=64, seed=seed),
            epochs=epochs,
            name=f"{objective}, seed {seed}",
            callbacks=[QualityMetrics(x_train, every=5, n=1000, value_range=(0.0, 1.0))],
        )
        report = metrics.sample_report(
            model.generate(1000, seed=seed + 1), x_train, (0.0, 1.0), features
        )
        runs.append({
            "objective": objective, "seed": seed, "epochs": epochs,
            "fid_curve": [float(f) for f in run.history.history["fid"]],
            "report": {k: float(v) for k, v in report.items()},
        })  # fmt: skip
    for one in runs:
        add_run(path, one)


def table(runs: list[dict]) -> str:
    """Markdown: per objective, mean ± std (ddof = 1) over the seeds of FID, recall, classes."""
    objectives = dict.fromkeys(r["objective"] for r in runs)
    rows = {o: [r["report"] for r in runs if r["objective"] == o] for o in objectives}
    return mean_std_table("objective", rows, ("FID", "recall", "classes"))


def main() -> None:
    from aegan_tf.book.latent_objectives import OBJECTIVES, RESULTS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--objectives", nargs="+", default=list(OBJECTIVES), choices=list(OBJECTIVES)
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    grid = [{"seed": seed} for seed in args.seeds]
    run = partial(run_seed, objectives=args.objectives, path=args.results)
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "seed {seed}")
    print(table(load_results(args.results)["runs"]))


if __name__ == "__main__":
    main()
