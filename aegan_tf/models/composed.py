"""A base for models made of named sub-networks (encoder and decoder, generator and
discriminator, ...): it checks them and saves and reloads them with the model."""

from __future__ import annotations

from typing import ClassVar

import keras


class ComposedModel(keras.Model):
    """A ``keras.Model`` whose constructor takes sub-networks named in ``NETWORKS``.

    Subclasses list the constructor arguments that are networks in ``NETWORKS`` and the
    other ones in :meth:`settings`; ``get_config``/``from_config`` then round-trip through
    ``model.save`` and ``keras.models.load_model``.
    """

    NETWORKS: ClassVar[tuple[str, ...]] = ()

    def _set_networks(self, **networks: keras.Model) -> None:
        for role, net in networks.items():
            if not isinstance(net, keras.Model):
                raise TypeError(f"{role} must be a keras.Model, got {type(net).__name__}.")
            setattr(self, role, net)
        self.built = True  # the networks are built; nothing is created at the first call

    def settings(self) -> dict:
        """The constructor's other arguments, as saved in the config."""
        return {}

    def get_config(self) -> dict:
        networks = {r: keras.saving.serialize_keras_object(getattr(self, r)) for r in self.NETWORKS}
        return {**super().get_config(), **networks, **self.settings()}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for role in cls.NETWORKS:
            config[role] = keras.saving.deserialize_keras_object(config[role])
        return cls(**config)
