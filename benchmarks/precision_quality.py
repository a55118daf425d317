"""Does mixed precision change what a model learns? FID after the same number of steps under
a mixed policy, against the spread of three float32 seeds.

    python benchmarks/precision_quality.py [--model gan] [--epochs 3] [--policy mixed_bfloat16]

Trains the model (configured as ``aegan-tf train`` configures it) on the training digits for
``--epochs`` epochs with seeds 0, 1 and 2 under float32, and with ``--mixed-seeds`` under
``--policy``, each in a fresh process; measures FID of 2,000 samples against the training
images; prints a Markdown table, the float32 mean, standard deviation and range, and where
each mixed run falls against them (a fourth run of the same distribution lands outside the
range of three half of the time: read the standard deviations too). Speed is not the
question here (on a CPU without native bfloat16 the mixed runs are slow);
``model_throughput.py`` measures speed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow loads


def run(model_name: str, policy: str, seed: int, epochs: int) -> dict:
    """In the worker process: train, then FID of 2,000 samples against the training images."""
    from aegan_tf import config, data, metrics
    from aegan_tf.cli import build_model, image_range

    config.set_precision(policy)
    value_range = image_range(model_name)
    images = data.load("mnist", value_range=value_range)[0]
    model = build_model(model_name, seed)
    start = time.perf_counter()
    model.fit(data.make_dataset(images, batch_size=64, seed=seed), epochs=epochs, verbose=0)
    seconds = time.perf_counter() - start
    samples = model.generate(2000, seed=1)
    fid = metrics.fid(metrics.extract_features(images, value_range), samples, value_range)
    return {"policy": policy, "seed": seed, "fid": fid, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="gan", choices=("gan", "vae", "aae", "vaegan", "bigan"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--policy", default="mixed_bfloat16")
    parser.add_argument("--mixed-seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--worker", nargs=2, metavar=("POLICY", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run(args.model, args.worker[0], int(args.worker[1]), args.epochs)))
        return
    jobs = [("float32", s) for s in (0, 1, 2)] + [(args.policy, s) for s in args.mixed_seeds]
    print(f"{args.model}, {args.epochs} epochs of the training digits, batch 64\n")
    print("| policy | seed | FID | training seconds |")
    print("| --- | ---: | ---: | ---: |")
    rows = []
    for policy, seed in jobs:
        worker = [sys.executable, __file__, "--model", args.model, "--epochs", str(args.epochs),
                  "--worker", policy, str(seed)]  # fmt: skip
        done = subprocess.run(worker, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"| {policy} | {seed} | {row['fid']:.2f} | {row['seconds']:.0f} |", flush=True)
    reference = [r["fid"] for r in rows if r["policy"] == "float32"]
    mean, sd = statistics.mean(reference), statistics.stdev(reference)
    low, high = min(reference), max(reference)
    print(f"\nfloat32: FID {mean:.2f} ± {sd:.2f} (sd of 3 seeds), range [{low:.2f}, {high:.2f}]")
    for row in rows[3:]:
        z = (row["fid"] - mean) / sd
        inside = "inside" if low <= row["fid"] <= high else "outside"
        print(f"{row['policy']} seed {row['seed']}: FID {row['fid']:.2f}, {inside} the range, "
              f"{z:+.1f} sd from the float32 mean")  # fmt: skip


if __name__ == "__main__":
    main()
