"""A benchmark's shipped results: a JSON file of runs, and samples in an ``.npz`` beside it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def load_runs(path: str | Path) -> dict:
    """The results file ``path`` as written (``{"runs": [one dict per run]}``), or no runs."""
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else {"runs": []}


def load_samples(path: str | Path) -> dict[tuple[str, ...], np.ndarray]:
    """The samples beside the results file ``path`` (``<stem>_samples.npz``, uint8 images
    under keys ``"a | b | ..."``), as ``{("a", "b", ...): images in [0, 1]}``; none if absent."""
    npz = Path(path).with_name(Path(path).stem + "_samples.npz")
    if not npz.exists():
        return {}
    with np.load(npz) as stored:
        return {tuple(key.split(" | ")): stored[key] / np.float32(255) for key in stored.files}
