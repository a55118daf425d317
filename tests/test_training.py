import keras
import numpy as np
import pytest

from aegan_tf import losses
from aegan_tf.models import Autoencoder, build_dense_decoder, build_dense_encoder
from aegan_tf.training import train


def _autoencoder():
    keras.utils.set_random_seed(0)
    ae = Autoencoder(
        build_dense_encoder(2, hidden_units=(8,)), build_dense_decoder(2, hidden_units=(8,))
    )
    ae.compile(keras.optimizers.Adam(1e-3), loss=losses.mse_reconstruction_loss)
    return ae


def test_train_for_epochs_returns_history_seconds_and_epochs(capsys):
    images = np.random.default_rng(0).random((64, 28, 28, 1)).astype(np.float32)
    run = train(_autoencoder(), images, epochs=3, name="tiny", batch_size=16)
    assert run.epochs == 3 and len(run.history.history["loss"]) == 3
    assert run.batches == 3 * 4  # 64 images in batches of 16
    assert run.seconds > 0
    assert "tiny: 3 epochs in" in capsys.readouterr().out


def test_train_for_a_budget_stops_within_the_epoch_and_counts_what_was_spent():
    images = np.random.default_rng(0).random((64, 28, 28, 1)).astype(np.float32)
    spent = train(_autoencoder(), images, seconds=10.0, already_spent=10.0, batch_size=16)
    # the budget was used up before training: one batch, then the stop
    assert spent.epochs == 1 and spent.batches == 1 and spent.seconds > 10.0
    both = train(_autoencoder(), images, epochs=2, seconds=3600.0, batch_size=16)
    assert both.epochs == 2  # the epochs ran out first


def test_train_refuses_to_run_without_an_end_and_owns_fit_arguments():
    ae = _autoencoder()
    images = np.zeros((8, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="give epochs, seconds or both"):
        train(ae, images)
    with pytest.raises(TypeError, match="pass epochs= and callbacks= to train"):
        train(ae, images, epochs=1, verbose=1)
