"""What the models' training steps do differently under a ``tf.distribute`` strategy with
several replicas (``MirroredStrategy`` over GPUs, ``MultiWorkerMirroredStrategy`` over
machines), so that one step on a global batch split across ``R`` replicas updates the
weights as one step on the whole batch on one device would.

- **Losses.** Each replica computes its loss as a mean over its share of the batch, and the
  strategy *sums* the replicas' gradients; each replica therefore divides the loss it
  differentiates by ``R`` (Keras's built-in ``train_step`` does the same, in
  ``keras.src.losses.loss.scale_loss_for_distribution``). Logged values are not divided.
- **Noise.** Every replica holds the same random-generator state, so a plain draw would give
  every replica the same noise; each replica draws the noise of the global batch and keeps
  its own rows, as a single device would draw it for the whole batch.

With one replica (no strategy, or one device) each function returns its input's computation
unchanged, to the bit.
"""

from __future__ import annotations

from collections.abc import Callable

import tensorflow as tf


def replicas_in_sync() -> int:
    """The number of replicas training together: 1 outside a strategy's scope."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def share_of_global_loss(loss: tf.Tensor) -> tf.Tensor:
    """``loss / R``: a replica's mean loss as its share of the global batch's mean loss, to
    differentiate (the strategy sums the replicas' gradients)."""
    replicas = replicas_in_sync()
    if replicas == 1:
        return loss
    return loss * tf.cast(1.0 / replicas, loss.dtype)


def rows_for_this_replica(draw: Callable, batch_size) -> tf.Tensor | tuple:
    """``draw(batch_size)`` on one device; under ``R`` replicas, this replica's rows of
    ``draw(R * batch_size)`` (replica ``i`` keeps rows ``i * batch_size`` onward, as the
    strategy splits a global batch). ``draw(n)`` returns a tensor, or a tuple of tensors,
    whose first axis has ``n`` rows; ``batch_size`` is this replica's batch size."""
    replicas = replicas_in_sync()
    if replicas == 1:
        return draw(batch_size)
    replica = tf.distribute.get_replica_context().replica_id_in_sync_group
    start = tf.cast(replica, tf.int32) * tf.cast(batch_size, tf.int32)
    drawn = draw(replicas * batch_size)
    if isinstance(drawn, tuple):
        return tuple(d[start : start + batch_size] for d in drawn)
    return drawn[start : start + batch_size]


def place_in_global_batch(values: tf.Tensor, batch_size) -> tf.Tensor:
    """This replica's ``values`` ``(batch_size, ...)`` at its rows of a global batch
    ``(R * batch_size, ...)`` of zeros (on one device, ``values`` unchanged): to hand a
    replica's labels to a draw that :func:`rows_for_this_replica` makes for all replicas."""
    replicas = replicas_in_sync()
    if replicas == 1:
        return values
    replica = tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.int32)
    before = replica * tf.cast(batch_size, tf.int32)
    after = (replicas - 1 - replica) * tf.cast(batch_size, tf.int32)
    padding = [[before, after]] + [[0, 0]] * (len(values.shape) - 1)
    return tf.pad(values, padding)
