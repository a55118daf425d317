"""What the non-finite guard (``StopOnNonFiniteLoss``) costs per training step.

    python benchmarks/guard_cost.py [--steps 30] [--batch 64] [--repeats 5]

After every step the guard checks the logged values and every floating-point variable of the
model and its optimizers (one compiled sum, outside the step: finite only if every value is).
Prints a Markdown table: model, the variables' size, the median time of one training step
(``fit`` on random images, the guard included) and of the guard's variable check alone, and
their ratio. Runs on the GPU when there is one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

import keras
import numpy as np

from aegan_tf.callbacks import StopOnNonFiniteLoss
from aegan_tf.models import GAN, build_dcgan_discriminator, build_dcgan_generator

MODELS = {
    "DCGAN, chapter 3 size": ((128, 64, 32), (64, 128)),
    "DCGAN, tutorial size": ((256, 128, 64), (64, 128)),
}


def measure(g_filters, d_filters, batch: int, steps: int, repeats: int) -> tuple:
    gan = GAN(build_dcgan_generator(100, filters=g_filters),
              build_dcgan_discriminator(filters=d_filters))  # fmt: skip
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    images = np.random.default_rng(0).uniform(-1, 1, (batch * steps, 28, 28, 1))
    images = images.astype(np.float32)
    gan.fit(images[: 2 * batch], batch_size=batch, epochs=1, verbose=0)  # trace
    step_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        gan.fit(images, batch_size=batch, epochs=1, verbose=0)
        step_times.append((time.perf_counter() - start) / steps)
    guard = StopOnNonFiniteLoss()
    guard.set_model(gan)
    guard.on_train_begin()
    watched = guard._watched
    bool(guard._check())  # trace
    check_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            bool(guard._check())
        check_times.append((time.perf_counter() - start) / steps)
    size = sum(int(np.prod(v.shape)) for v in watched)
    return size, statistics.median(step_times), statistics.median(check_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("| model | floats checked | step (ms, guard included) | check (ms) | check / step |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (g_filters, d_filters) in MODELS.items():
        size, step, check = measure(g_filters, d_filters, args.batch, args.steps, args.repeats)
        print(f"| {name} | {size:,} | {1e3 * step:.1f} | {1e3 * check:.2f} | {check / step:.1%} |")


if __name__ == "__main__":
    main()
