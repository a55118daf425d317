"""Run by ``test_distribute.py`` in a subprocess (TensorFlow's devices are fixed at its start):
every model of the package trains two steps under ``tf.distribute.MirroredStrategy`` on two
logical CPUs, and the same two steps on one device, on the same global batches and from the
same initial weights. Prints one JSON object: for each model, the largest difference between
the two runs' weights, the largest change of a weight in those steps, and the largest
relative difference between the logged values.

SGD makes the check sharp: its step is proportional to the gradient, so a gradient summed over
replicas instead of averaged moves the weights twice as far (Adam's first steps would not
show it). Dropout is off: Keras's dropout layers draw the same mask on every replica.
"""

import json
import sys

import tensorflow as tf

_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(_cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from small_models import MODELS, VARIANTS, build_small_model, trained_autoencoder  # noqa: E402

from aegan_tf import data  # noqa: E402

GLOBAL_BATCH = 32


def sgd() -> keras.optimizers.Optimizer:
    return keras.optimizers.SGD(0.1)


def batches(name: str, images, labels) -> tf.data.Dataset:
    if name == "dcgan":
        return tf.data.Dataset.from_tensor_slices(images * 2 - 1).batch(GLOBAL_BATCH)
    if name == "conditional_aae":
        return tf.data.Dataset.from_tensor_slices((images, labels)).batch(GLOBAL_BATCH)
    if name == "conditional_dcgan":
        pairs = (images * 2 - 1, labels)
        return tf.data.Dataset.from_tensor_slices(pairs).batch(GLOBAL_BATCH)
    if name == "semi_supervised_aae":  # the labelled batch: the same images, reversed
        labelled = (images[::-1], labels[::-1].astype(np.int32))
        return tf.data.Dataset.from_tensor_slices((images, labelled)).batch(GLOBAL_BATCH)
    return tf.data.Dataset.from_tensor_slices(images).batch(GLOBAL_BATCH)


def main(names: list[str]) -> None:
    all_images, all_labels = data.load("mnist", limit=256)
    autoencoder = trained_autoencoder(all_images)  # as conftest's ``autoencoder``
    images, labels = all_images[: 2 * GLOBAL_BATCH], all_labels[: 2 * GLOBAL_BATCH]

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {}
    for name in names:
        single = build_small_model(name, autoencoder, images, optimizer=sgd, dropout=0.0)
        initial = single.get_weights()
        one = single.fit(batches(name, images, labels), epochs=1, verbose=0).history
        with strategy.scope():
            mirrored = build_small_model(name, autoencoder, images, optimizer=sgd, dropout=0.0)
        same_start = all(
            np.array_equal(a, b) for a, b in zip(initial, mirrored.get_weights(), strict=True)
        )
        two = mirrored.fit(batches(name, images, labels), epochs=1, verbose=0).history
        pairs = list(zip(single.get_weights(), mirrored.get_weights(), strict=True))
        results[name] = {
            "replicas": mirrored.distribute_strategy.num_replicas_in_sync,
            "same_start": same_start,
            "difference": max(float(np.max(np.abs(a - b))) for a, b in pairs),
            "step": max(
                float(np.max(np.abs(a - b)))
                for a, b in zip(single.get_weights(), initial, strict=True)
            ),
            "logs": max(abs(two[k][0] - v[0]) / max(abs(v[0]), 1e-6) for k, v in one.items()),
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:] or [*MODELS, *VARIANTS])
