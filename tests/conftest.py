"""Fixtures shared by the model tests."""

import numpy as np
import pytest


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
