"""Multi-device training (issue 11): every model of the package, trained under
``tf.distribute.MirroredStrategy`` on two logical CPUs, ends two steps with the weights of
the same steps on one device (same global batches, same initial weights). ``two_devices.py``
runs the models in a subprocess, since TensorFlow fixes its devices when it starts."""

import json
import subprocess
import sys
from pathlib import Path

import keras
import pytest
import tensorflow as tf
from small_models import MODELS, VARIANTS

from aegan_tf.distribute import (
    place_in_global_batch,
    replicas_in_sync,
    rows_for_this_replica,
    share_of_global_loss,
)

NAMES = [*MODELS, *VARIANTS]


@pytest.fixture(scope="module")
def two_device_runs() -> dict:
    script = Path(__file__).with_name("two_devices.py")
    done = subprocess.run(
        [sys.executable, str(script), *NAMES], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", NAMES)
def test_two_replicas_take_the_step_of_one_device_on_the_global_batch(name, two_device_runs):
    run = two_device_runs[name]
    assert run["replicas"] == 2 and run["same_start"]
    assert run["step"] > 1e-4  # the weights moved ...
    # ... and by as much on two replicas as on one device: the per-replica losses are shares
    # of the global batch's loss, and each replica drew its own rows of the global noise
    # (before both, the differences were as large as the steps: GAN 0.06 against 0.04).
    # (float32 rounding, relative to the step: the WGAN-GP critic's weights move by ~15)
    assert run["difference"] < 1e-6 + 1e-5 * run["step"], run
    assert run["logs"] < 1e-5, run  # the logged losses are the global batch's


def test_on_one_device_the_helpers_change_nothing():
    assert replicas_in_sync() == 1
    loss = tf.constant(2.5)
    assert share_of_global_loss(loss) is loss
    assert rows_for_this_replica(lambda n: tf.range(n), 3).numpy().tolist() == [0, 1, 2]
    labels = tf.constant([4, 2])
    assert place_in_global_batch(labels, 2) is labels


def test_a_draw_of_several_tensors_keeps_this_replicas_rows_of_each():
    seeds = keras.random.SeedGenerator(0)
    codes, components = rows_for_this_replica(
        lambda n: (keras.random.normal((n, 2), seed=seeds), tf.range(n)), 4
    )
    assert codes.shape == (4, 2) and components.numpy().tolist() == [0, 1, 2, 3]
