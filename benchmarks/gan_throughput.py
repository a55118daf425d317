"""Training throughput of the book's GANs, in images per second, under each precision policy.

    python benchmarks/gan_throughput.py [--steps 40] [--batch 64]

Prints a Markdown table: model, dtype policy, batch size, images/s, steps/s. Runs on the
GPU when there is one. Uses random images: speed does not depend on the data.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

import keras
import numpy as np
import tensorflow as tf

from aegan_tf.models import GAN, build_dcgan_discriminator, build_dcgan_generator

MODELS = {
    "DCGAN, chapter 3 size": ((128, 64, 32), (64, 128)),
    "DCGAN, tutorial size": ((256, 128, 64), (64, 128)),
}


def throughput(g_filters, d_filters, policy: str, batch: int, steps: int) -> float:
    keras.config.set_dtype_policy(policy)
    try:
        gan = GAN(build_dcgan_generator(100, filters=g_filters),
                  build_dcgan_discriminator(filters=d_filters))  # fmt: skip
        gan.compile(
            keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)
        )
        images = np.random.default_rng(0).uniform(-1, 1, (batch * steps, 28, 28, 1))
        ds = tf.data.Dataset.from_tensor_slices(images.astype("float32")).batch(batch).cache()
        gan.fit(ds.take(3), epochs=1, verbose=0)  # trace and warm up
        start = time.perf_counter()
        gan.fit(ds, epochs=1, verbose=0)
        return batch * steps / (time.perf_counter() - start)
    finally:
        keras.config.set_dtype_policy("float32")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    print(f"device: {device}; {args.steps} timed steps per row\n")
    print("| model | policy | batch | images/s | steps/s |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, (g_filters, d_filters) in MODELS.items():
        for policy in ("float32", "mixed_bfloat16") + (
            ("mixed_float16",) if device == "GPU" else ()
        ):
            rate = throughput(g_filters, d_filters, policy, args.batch, args.steps)
            print(f"| {name} | {policy} | {args.batch} | {rate:,.0f} | {rate / args.batch:.1f} |")


if __name__ == "__main__":
    main()
