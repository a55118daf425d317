"""Chapter 6's semi-supervised AAE against its baselines, with the same few labels, several seeds.

    python benchmarks/semi_supervised.py [--seeds 0 1 2]

For each seed, the labels of 100 of the 4,000 offline training digits (10 per class, drawn
with the seed: :func:`aegan_tf.book.semi_supervised.choose_labelled`) are given to five methods,
each scored by its accuracy on the 1,000 test digits:

- ``semi-supervised AAE``: :func:`aegan_tf.book.semi_supervised.build`, trained for
  :data:`~aegan_tf.book.semi_supervised.EPOCHS` epochs on all 4,000 digits (batches of 64, each
  with a batch of 64 labelled digits); the run chapter 6 makes with ``AEGAN_SEED`` set to
  that seed;
- ``without the game``: the same, with the regularisation game's learning rates at 0
  (reconstruction and classification only);
- ``supervised only``: the same encoder trained on the 100 labelled digits alone, for the
  same number of steps;
- ``autoencoder codes, linear probe``: a plain autoencoder with the same networks and code
  size trained for the same epochs, then :func:`aegan_tf.metrics.linear_probe` fitted on
  the codes of the 100 labelled digits;
- ``pixels, linear probe``: the same probe on the labelled digits' 784 pixels.

Each seed's runs are added to the results file when the seed ends (by default the one the
package ships, which chapter 6 reads); seeds already there are skipped. Prints a Markdown
table: per method, the mean ± standard deviation (ddof = 1) of the test accuracy.
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


def run_seed(seed: int, path: Path) -> None:
    """Train each method with ``seed`` on the same labelled digits; add their runs."""
    from aegan_tf import data, metrics, recipes
    from aegan_tf.book import semi_supervised
    from aegan_tf.training import train

    x_train, y_train = data.load("mnist", "train", limit=4000)
    x_test, y_test = data.load("mnist", "test", limit=1000)
    labelled = semi_supervised.choose_labelled(y_train, seed=seed)
    x_labelled, y_labelled = x_train[labelled], y_train[labelled]
    epochs, batch = semi_supervised.EPOCHS, semi_supervised.BATCH_SIZE
    runs = []

    def record(method, accuracy, steps, started):
        runs.append({"method": method, "seed": seed, "labels": len(labelled),
                     "accuracy": float(accuracy), "steps": int(steps),
                     "seconds": time.perf_counter() - started})  # fmt: skip
        print(f"seed {seed}, {method}: test accuracy {accuracy:.3f}", flush=True)

    for method, game in (("semi-supervised AAE", True), ("without the game", False)):
        started = time.perf_counter()
        model = semi_supervised.build(seed, game=game)
        batches = data.make_semi_supervised_dataset(
            x_train, x_labelled, y_labelled, batch_size=batch, seed=seed
        )
        train(model, batches, epochs=epochs, name=f"{method}, seed {seed}")
        steps = int(model.c_optimizer.iterations)
        record(method, np.mean(model.classify(x_test) == y_test), steps, started)

    started = time.perf_counter()
    classifier = semi_supervised.build_classifier(seed)
    repeated = data.make_dataset(x_labelled, batch, seed=seed, labels=y_labelled).repeat()
    classifier.fit(repeated, steps_per_epoch=steps, epochs=1, verbose=0)
    predicted = classifier.predict(x_test, verbose=0).argmax(axis=1)
    record("supervised only", np.mean(predicted == y_test), steps, started)

    started = time.perf_counter()
    code_dim = semi_supervised.N_CLASSES + semi_supervised.STYLE_DIM
    rate = semi_supervised.RATES["reconstruction"]
    autoencoder = recipes.build("autoencoder", seed, code_dim=code_dim, learning_rate=rate)
    train(autoencoder, data.make_dataset(x_train, batch, seed=seed), epochs=epochs)
    codes = autoencoder.encode(x_labelled)
    accuracy = metrics.linear_probe(codes, y_labelled, autoencoder.encode(x_test), y_test)
    record("autoencoder codes, linear probe", accuracy, autoencoder.optimizer.iterations, started)

    started = time.perf_counter()
    flat = x_labelled.reshape(len(x_labelled), -1)
    accuracy = metrics.linear_probe(flat, y_labelled, x_test.reshape(len(x_test), -1), y_test)
    record("pixels, linear probe", accuracy, 0, started)
    for one in runs:
        add_run(path, one)


def table(runs: list[dict]) -> str:
    """Markdown: per method, the mean ± std (ddof = 1) over the seeds of the test accuracy."""
    lines = ["| method | seeds | test accuracy |", "|---|---|---|"]
    for method in dict.fromkeys(r["method"] for r in runs):
        values = np.array([r["accuracy"] for r in runs if r["method"] == method])
        spread = values.std(ddof=1) if len(values) > 1 else float("nan")
        lines.append(f"| {method} | {len(values)} | {values.mean():.3f} ± {spread:.3f} |")
    return "\n".join(lines)


def main() -> None:
    from aegan_tf.book.semi_supervised import RESULTS, load_results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    grid = [{"seed": seed} for seed in args.seeds]
    run = partial(run_seed, path=args.results)
    run_missing(grid, lambda: load_results(args.results)["runs"], run, "seed {seed}")
    print(table(load_results(args.results)["runs"]))


if __name__ == "__main__":
    main()
