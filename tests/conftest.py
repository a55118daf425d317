"""Fixtures shared by the model tests."""

import numpy as np
import pytest
from small_models import trained_autoencoder

from aegan_tf import data


@pytest.fixture(scope="module")
def images():
    """256 offline digits ``(256, 28, 28, 1)`` in [0, 1] (a module may define its own)."""
    return data.load("mnist", limit=256)[0]


@pytest.fixture(scope="module")
def autoencoder(images):
    """The small autoencoder recipe with 4-number codes, trained on ``images``
    (:func:`small_models.trained_autoencoder`)."""
    return trained_autoencoder(images)


@pytest.fixture
def changed():
    """``before = changed(model, names)``; later ``before()`` -> the set of names whose
    network's weights differ from the snapshot."""

    def snapshot(model, names):
        weights = {n: [w.numpy().copy() for w in getattr(model, n).weights] for n in names}

        def which():
            return {
                n
                for n, old in weights.items()
                if any(
                    not np.array_equal(a, b.numpy())
                    for a, b in zip(old, getattr(model, n).weights, strict=True)
                )
            }

        return which

    return snapshot
