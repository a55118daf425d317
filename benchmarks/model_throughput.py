"""Every model of the package: training and sampling speed, peak memory, and the machine's
matrix-multiply rates to read them against.

    python benchmarks/model_throughput.py [--batches 32 64 256] [--images 1280] [--repeats 5]

Prints the machine (device, the CPU flags that matter, measured float32 and bfloat16 matmul
GFLOP/s), then a Markdown table: for each model (configured as ``aegan-tf train`` and
chapter 9 configure it), training images/s at each batch size (the median of ``--repeats``
epochs of ``--images`` random images, after a traced one: this machine's speed jumps by
factors of 2 from one epoch to the next), sampling images/s (``generate(2000)`` after a
warm-up call), and the process's memory once TensorFlow and the package are imported and
at its peak (resident set size; the GPU's peak too where there is one). Each model runs in
a fresh process, so that the peaks are its own. Speed does not depend on the data, so the
images are random.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads

import keras
import numpy as np

from aegan_tf.cli import MODELS


def matmul_gflops(dtype: str, n: int = 2048, repeats: int = 5) -> float:
    """The best of ``repeats`` timed ``n x n`` matrix products, in GFLOP/s."""
    import tensorflow as tf

    a = tf.cast(tf.random.normal((n, n)), dtype)
    b = tf.cast(tf.random.normal((n, n)), dtype)
    product = tf.function(lambda x, y: tf.reduce_sum(tf.cast(tf.matmul(x, y)[0, :1], tf.float32)))
    product(a, b).numpy()  # trace and warm up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        product(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


def _build(name: str):
    """The model ``name``, compiled as ``aegan-tf train`` builds it (its recipe, from
    :mod:`aegan_tf.recipes`), and its images' range; a latent GAN on an untrained
    autoencoder, with unit code statistics (speed does not depend on them)."""
    from aegan_tf import recipes

    recipe = recipes.recipe(recipes.COMMANDS[name])
    model = recipes.build(recipe.name, seed=0)
    if recipe.next_builders:
        model = recipes.build_next(recipe.name, model, images=None, seed=0)
        model.code_std.assign(np.ones(model.code_dim, np.float32))
    return model, recipe.value_range


def _rss_mib() -> float:
    """The process's peak resident set size so far, MiB: ``VmHWM`` on Linux (``ru_maxrss``
    would report the parent's peak: Linux keeps it across ``fork`` and ``exec``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # macOS: bytes / 1024


class _EpochTimes(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def measure(name: str, batches: list[int], images: int, policy: str, repeats: int) -> dict:
    """Runs in the worker process: the row of model ``name``."""
    import tensorflow as tf

    from aegan_tf import config
    from aegan_tf.models.composed import GenerativeModel

    config.set_precision(policy)
    row = {"model": name, "RSS after import MiB": _rss_mib()}
    for batch in batches:
        model, (low, high) = _build(name)
        steps = max(images // batch, 2)
        rng = np.random.default_rng(0)
        x = rng.uniform(low, high, (steps * batch, 28, 28, 1)).astype("float32")
        if getattr(model, "n_classes", None):  # a conditional model: random labels too
            x = (x, rng.integers(model.n_classes, size=len(x)))
        ds = tf.data.Dataset.from_tensor_slices(x).batch(batch).cache()
        clock = _EpochTimes()
        model.fit(ds, epochs=repeats + 1, verbose=0, callbacks=[clock])  # the first: tracing
        row[f"train {batch}"] = steps * batch / statistics.median(clock.seconds[1:])
    if isinstance(model, GenerativeModel):
        model.generate(64, seed=0)  # warm-up: traces the networks
        start = time.perf_counter()
        model.generate(2000, seed=1)
        row["sample"] = 2000 / (time.perf_counter() - start)
    row["peak RSS MiB"] = _rss_mib()
    if tf.config.list_physical_devices("GPU"):
        row["peak GPU MiB"] = tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20
    return row


def _machine() -> str:
    import tensorflow as tf

    from aegan_tf import config

    gpus = tf.config.list_physical_devices("GPU")
    flags = sorted(config._cpu_flags() & {"avx2", "avx512f", "avx512_bf16", "amx_bf16", "fma"})
    lines = [
        f"device: {'GPU ' + str(len(gpus)) if gpus else 'CPU'}; {os.cpu_count()} CPU cores; "
        f"CPU flags: {', '.join(flags) or 'none of avx2/fma/avx512'}; "
        f"auto precision: {config.auto_precision()}",
    ]
    for dtype in ("float32", "bfloat16"):
        lines.append(f"matmul 2048 x 2048, {dtype}: {matmul_gflops(dtype):,.0f} GFLOP/s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[32, 64, 256])
    parser.add_argument("--images", type=int, default=1280, help="timed images per batch size")
    parser.add_argument("--repeats", type=int, default=5, help="timed epochs (the median)")
    parser.add_argument("--policy", default="float32", help="float32, mixed_bfloat16, ..., auto")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        row = measure(args.worker, args.batches, args.images, args.policy, args.repeats)
        print(json.dumps(row))
        return
    machine = _machine()
    print(machine)
    print(
        f"policy {args.policy}; images/s: median of {args.repeats} epochs of {args.images} "
        "images after a traced one\n"
    )
    columns = [f"train {b}" for b in args.batches] + ["sample", "RSS after import MiB",
                                                      "peak RSS MiB"]  # fmt: skip
    if "GPU" in machine.splitlines()[0]:
        columns.append("peak GPU MiB")
    print("| model | " + " | ".join(c.replace("train ", "train, batch ") for c in columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    for name in args.models:
        worker = [sys.executable, __file__, "--worker", name, "--images", str(args.images),
                  "--policy", args.policy, "--repeats", str(args.repeats),
                  "--batches", *map(str, args.batches)]  # fmt: skip
        done = subprocess.run(worker, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        cells = [f"{row[c]:,.0f}" if c in row else "-" for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
