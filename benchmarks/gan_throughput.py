"""Training throughput of the book's GANs, in images per second, under each precision policy.

    python benchmarks/gan_throughput.py [--steps 40] [--batch 64] [--repeats 3]

Prints a Markdown table: model, dtype policy, batch size, images/s, steps/s (the median of
``--repeats`` timed epochs). Then a reference measured in the same run: the TensorFlow DCGAN
tutorial's training loop (a ``@tf.function`` step with two ``GradientTape``s, one generator
pass for both losses, Adam 1e-4) on the tutorial-size networks, against ``GAN.fit`` on the
same networks and batch, alternated so that a drift of the machine's speed hits both. Runs on
the GPU when there is one. Uses random images: speed does not depend on the data.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
        ds = _images(batch, steps)
        gan.fit(ds.take(3), epochs=1, verbose=0)  # trace and warm up
        start = time.perf_counter()
        gan.fit(ds, epochs=1, verbose=0)
        return batch * steps / (time.perf_counter() - start)
    finally:
        keras.config.set_dtype_policy("float32")


def _images(batch: int, steps: int) -> tf.data.Dataset:
    images = np.random.default_rng(0).uniform(-1, 1, (batch * steps, 28, 28, 1))
    return tf.data.Dataset.from_tensor_slices(images.astype("float32")).batch(batch).cache()


def tutorial_loop(batch: int, steps: int, repeats: int) -> list[float]:
    """Images/s of the TensorFlow DCGAN tutorial's loop, one value per timed epoch."""
    g_filters, d_filters = MODELS["DCGAN, tutorial size"]
    generator = build_dcgan_generator(100, filters=g_filters)
    discriminator = build_dcgan_discriminator(filters=d_filters)
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function
    def train_step(images):
        noise = tf.random.normal([tf.shape(images)[0], 100])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated, training=True)
            gen_loss = bce(tf.ones_like(fake_output), fake_output)
            disc_loss = bce(tf.ones_like(real_output), real_output) + bce(
                tf.zeros_like(fake_output), fake_output
            )
        g_grads = gen_tape.gradient(gen_loss, generator.trainable_variables)
        d_grads = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        g_opt.apply_gradients(zip(g_grads, generator.trainable_variables, strict=True))
        d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables, strict=True))

    ds = _images(batch, steps)
    for images in ds.take(3):  # trace and warm up
        train_step(images)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for images in ds:
            train_step(images)
        rates.append(batch * steps / (time.perf_counter() - start))
    return rates


def ours(batch: int, steps: int, repeats: int) -> list[float]:
    """Images/s of ``GAN.fit`` on the tutorial-size networks (Adam 1e-4), per timed epoch."""
    g_filters, d_filters = MODELS["DCGAN, tutorial size"]
    gan = GAN(build_dcgan_generator(100, filters=g_filters),
              build_dcgan_discriminator(filters=d_filters))  # fmt: skip
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
    ds = _images(batch, steps)
    gan.fit(ds.take(3), epochs=1, verbose=0)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        gan.fit(ds, epochs=1, verbose=0)
        rates.append(batch * steps / (time.perf_counter() - start))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reference-only", action="store_true", help="only the last table")
    args = parser.parse_args()
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    print(f"device: {device}; {args.steps} timed steps per epoch\n")
    if not args.reference_only:
        print("| model | policy | batch | images/s | steps/s |")
        print("| --- | --- | ---: | ---: | ---: |")
        for name, (g_filters, d_filters) in MODELS.items():
            for policy in ("float32", "mixed_bfloat16") + (
                ("mixed_float16",) if device == "GPU" else ()
            ):
                rate = throughput(g_filters, d_filters, policy, args.batch, args.steps)
                steps_per_s = rate / args.batch
                print(f"| {name} | {policy} | {args.batch} | {rate:,.0f} | {steps_per_s:.1f} |")
        print()
    reference, package = [], []
    for _ in range(args.repeats):  # alternated: one epoch of each in turn
        reference += tutorial_loop(args.batch, args.steps, 1)
        package += ours(args.batch, args.steps, 1)
    ratios = [p / r for p, r in zip(package, reference, strict=True)]
    print("| tutorial-size DCGAN, float32 | batch | images/s, each epoch | median |")
    print("| --- | ---: | --- | ---: |")
    for name, rates in (("TensorFlow tutorial loop", reference), ("aegan_tf GAN.fit", package)):
        each = ", ".join(f"{r:,.0f}" for r in rates)
        print(f"| {name} | {args.batch} | {each} | {statistics.median(rates):,.0f} |")
    print(
        f"\nGAN.fit / tutorial loop, pair by pair: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
