"""What the benchmark scripts share: the machine in words, a grid that resumes, and writing
each run into the results file (and its samples beside it) as soon as it ends."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def machine() -> str:
    """The CPU model, whether it has AVX-512 and AMX, the core count, or the GPU, in words."""
    cpu, flags = platform.processor() or "unknown CPU", set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
            if flags and not cpu.startswith("unknown"):
                break
    if flags:
        wide = "with AVX-512" if "avx512f" in flags else "without AVX-512"
        cpu += f" ({wide}{' and AMX' if 'amx_tile' in flags else ''})"
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    gpu = f", GPU: {len(gpus)}" if gpus else ", no GPU"
    return f"{cpu}, {os.cpu_count()} cores{gpu}"


def run_missing(
    grid: list[dict], done: Callable[[], list[dict]], run: Callable[..., None], name: str
) -> None:
    """``run(**cell)`` for each ``cell`` of ``grid`` unless ``done()`` (the runs in the results
    file, read again before each cell) holds a run with the same values: an interrupted grid
    resumes where it stopped. ``name`` formats a cell for the log (``str.format``)."""
    for cell in grid:
        if any(all(run_.get(key) == value for key, value in cell.items()) for run_ in done()):
            print(f"{name.format(**cell)}: in the results already", flush=True)
            continue
        run(**cell)


def run_fresh(script: str, *args: object) -> None:
    """Run the Python file ``script`` with ``args`` in a fresh process (nothing left over from
    the runs before it); raise if it fails."""
    subprocess.run([sys.executable, script, *map(str, args)], check=True)


def add_run(path: Path, run: dict) -> None:
    """Append ``run``, with this machine and today's date, to the results file ``path``."""
    from aegan_tf.book._results import load_runs

    results = load_runs(path)
    results["runs"].append({**run, "machine": machine(), "date": datetime.date.today().isoformat()})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")


def add_samples(path: Path, key: str, images: np.ndarray) -> None:
    """Store ``images`` in [0, 1] as uint8 under ``key`` in the ``.npz`` beside ``path``."""
    samples_path = path.with_name(path.stem + "_samples.npz")
    samples = dict(np.load(samples_path)) if samples_path.exists() else {}
    samples[key] = np.round(255 * np.asarray(images)).astype(np.uint8)
    np.savez_compressed(samples_path, **samples)


def mean_std_table(name: str, rows: dict[str, list[dict]], columns: Sequence[str]) -> str:
    """Markdown: a row per key of ``rows`` (its runs, one dict per seed) with its number of
    seeds and the mean ± standard deviation (ddof = 1; the mean alone for one seed) of each
    of ``columns``; ``name`` heads the first column."""
    lines = [f"| {name} | seeds | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for key, reports in rows.items():
        cells = []
        for column in columns:
            values = np.array([report[column] for report in reports], float)
            spread = f" ± {values.std(ddof=1):.2f}" if len(values) > 1 else ""
            cells.append(f"{values.mean():.2f}{spread}")
        lines.append(f"| {key} | {len(reports)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
