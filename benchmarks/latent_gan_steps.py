"""GAN steps per second of chapter 9's latent GAN, fed images (encoded at every step) or the
training codes encoded once.

    python benchmarks/latent_gan_steps.py [--seconds 30] [--repeats 2]

Prints a Markdown table: what ``fit`` is fed, GAN steps (one generator update and five
critic updates each, WGAN-GP, batch 64) per second, for each repeat. The model is the recipe
``"latent GAN"`` (chapters 5 and 9: a 32-number convolutional autoencoder, 256-256 MLPs); the
autoencoder is not trained (speed does not depend on it) and the codes are standardised with
unit statistics.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

import numpy as np

from aegan_tf import data, recipes
from aegan_tf.callbacks import TimeLimit


def steps_per_second(autoencoder, images: np.ndarray, fed: str, seconds: float) -> float:
    """GAN steps per second over ``seconds`` of ``fit``, after one traced epoch."""
    model = recipes.build_next("latent GAN", autoencoder, images=None, seed=0)
    model.code_std.assign(np.ones(model.code_dim, np.float32))  # in place of adapt: no training
    examples = images if fed == "images" else model.encode(images)
    dataset = data.make_dataset(examples, batch_size=64)
    model.fit(dataset, epochs=1, verbose=0)  # trace and warm up
    start = int(model.g_optimizer.iterations)
    clock = TimeLimit(seconds, within_epoch=True)
    model.fit(dataset, epochs=10_000, verbose=0, callbacks=[clock])
    return (int(model.g_optimizer.iterations) - start) / clock.seconds_used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("AEGAN_OFFLINE", "1")
    images, _ = data.load("mnist", "train", limit=4000)
    autoencoder = recipes.build("latent GAN", seed=0)
    rates = {fed: [] for fed in ("images", "codes encoded once")}
    for _ in range(args.repeats):
        for fed, runs in rates.items():
            runs.append(steps_per_second(autoencoder, images, fed, args.seconds))
    print("| fit is fed | GAN steps per second |\n|---|---|")
    for fed, runs in rates.items():
        print(f"| {fed} | {', '.join(f'{r:.1f}' for r in runs)} |")


if __name__ == "__main__":
    main()
