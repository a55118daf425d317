"""Train the shipped MNIST feature network and write its weights and model card.

    python -m aegan_tf.metrics.train_feature_network            # writes into the package
    python -m aegan_tf.metrics.train_feature_network --out DIR --epochs 1

It trains on the offline MNIST train split (4,000 of the real digits that the package ships,
the same on every machine), with small random shifts and rotations, and reports the accuracy on the
offline test split (1,000 digits it never saw).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np

from aegan_tf import data
from aegan_tf.metrics.features import CARD_PATH, WEIGHTS_PATH, build_mnist_classifier


def train(out_dir: Path, epochs: int = 60, seed: int = 0) -> dict:
    """Train, evaluate on the held-out split, save ``*.weights.h5`` and the ``.json`` card."""
    keras.utils.set_random_seed(seed)
    x_train, y_train = data.load("mnist", "train", value_range=(0.0, 1.0), source="offline")
    x_test, y_test = data.load("mnist", "test", value_range=(0.0, 1.0), source="offline")
    classifier = build_mnist_classifier()
    augmented = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.RandomTranslation(0.1, 0.1, seed=seed),
         keras.layers.RandomRotation(0.05, seed=seed), classifier]
    )  # fmt: skip
    augmented.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    augmented.fit(x_train, y_train, batch_size=64, epochs=epochs, verbose=2)
    seconds = time.perf_counter() - start
    classifier.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    _, accuracy = classifier.evaluate(x_test, y_test, verbose=0)
    out_dir.mkdir(parents=True, exist_ok=True)
    classifier.save_weights(out_dir / WEIGHTS_PATH.name)
    card = {
        "network": "aegan_tf.metrics.features.build_mnist_classifier",
        "parameters": int(classifier.count_params()),
        "trained_on": f"offline MNIST train split, {len(x_train)} digits",
        "held_out": f"offline MNIST test split, {len(x_test)} digits, 100 per class",
        "held_out_accuracy": round(float(accuracy), 4),
        "epochs": epochs,
        "seed": seed,
        "training_seconds": round(seconds, 1),
        "keras_version": keras.__version__,
        "numpy_version": np.__version__,
    }
    (out_dir / CARD_PATH.name).write_text(json.dumps(card, indent=2) + "\n")
    return card


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH.parent)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(json.dumps(train(args.out, args.epochs, args.seed), indent=2))


if __name__ == "__main__":
    main()
