import numpy as np

from aegan_tf import losses
from aegan_tf.callbacks import EpochProgressBar
from aegan_tf.models import Autoencoder, build_dense_decoder, build_dense_encoder


def test_progress_bar_counts_epochs_and_shows_the_loss(capsys):
    ae = Autoencoder(
        build_dense_encoder(2, hidden_units=(8,)), build_dense_decoder(2, hidden_units=(8,))
    )
    ae.compile(optimizer="adam", loss=losses.mse_reconstruction_loss)
    bar = EpochProgressBar("dense")
    ae.fit(np.zeros((8, 28, 28, 1), np.float32), epochs=3, verbose=0, callbacks=[bar])
    captured = capsys.readouterr()
    assert "dense: 100%" in captured.err and "3/3" in captured.err and "loss=" in captured.err
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dense: 3 epochs in ") and "; loss " in lines[0]
