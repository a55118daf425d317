"""Fixtures shared by the model tests."""

import keras
import numpy as np
import pytest

from aegan_tf import data, losses
from aegan_tf.models import Autoencoder, build_dense_decoder, build_dense_encoder

SMALL_CODE_DIM = 4  # the code size of the ``autoencoder`` fixture


@pytest.fixture(scope="module")
def images():
    """256 offline digits ``(256, 28, 28, 1)`` in [0, 1] (a module may define its own)."""
    return data.load("mnist", limit=256)[0]


@pytest.fixture(scope="module")
def autoencoder(images):
    """A small dense autoencoder with 4-number codes, trained on ``images`` (MSE about 0.05;
    the mean image: 0.065), so that ``adapt`` accepts it."""
    keras.utils.set_random_seed(0)
    ae = Autoencoder(
        build_dense_encoder(SMALL_CODE_DIM, hidden_units=(64,)),
        build_dense_decoder(SMALL_CODE_DIM, hidden_units=(64,)),
    )
    ae.compile(keras.optimizers.Adam(1e-2), loss=losses.mse_reconstruction_loss)
    ae.fit(images, batch_size=32, epochs=10, verbose=0)
    return ae


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
