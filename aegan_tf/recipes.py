"""The book's models by name: how each is built and compiled, the range of its images and its
training phases, in one place.

    model = recipes.build("DCGAN", seed=0)                   # compiled, as chapter 3 builds it
    autoencoder = recipes.build("latent GAN", seed=0)        # a two-phase recipe's first phase
    ...                                                      # (train it)
    gan = recipes.build_next("latent GAN", autoencoder, images, seed=0)

Every recipe has two sizes: ``"book"`` (the networks and settings of its chapter) and
``"small"`` (the same model class and objective on networks of a few dozen units, for tests
that train every model in seconds). A recipe's keyword options (learning rates, loss
weights) are those of its builder for that size; :func:`options` lists them. The command
line, chapter 9's comparison, the benchmarks and the tests build their models here.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import keras
import numpy as np

from aegan_tf import config, losses, priors
from aegan_tf.models import (
    GAN,
    VAE,
    VAEGAN,
    AdversarialAutoencoder,
    Autoencoder,
    BiGAN,
    LatentDiffusion,
    LatentGAN,
    SemiSupervisedAAE,
    build_conv_decoder,
    build_conv_encoder,
    build_dcgan_discriminator,
    build_dcgan_generator,
    build_dense_decoder,
    build_dense_encoder,
    build_joint_discriminator,
    build_mlp_denoiser,
    build_mlp_discriminator,
    build_mlp_generator,
    build_mlp_image_discriminator,
    build_mlp_image_encoder,
    build_mlp_image_generator,
)

SIZES = ("book", "small")
"""``book``: the chapter's networks and settings; ``small``: a few dozen units, for tests."""

SMALL_CODE_DIM = 4  # the small size's codes
AUTOENCODER_CODE_DIM = 32  # chapter 5's autoencoder (the latent GAN's)
FAMILY_CODE_DIM = 16  # chapters 6 and 7 (AAE, VAE, VAE-GAN) and chapter 9's BiGAN
DCGAN_NOISE_DIM = 100  # chapter 3
MLP_BIGAN_CODE_DIM = 50  # chapter 8, after Donahue et al.
SEMI_SUPERVISED_CLASSES, SEMI_SUPERVISED_STYLE_DIM = 10, 4  # chapter 6
DIGITS = 10  # the classes a conditional model of chapter 11 is asked for


def _small_adam() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(1e-3)


@dataclass(frozen=True)
class Recipe:
    """One model of the book.

    Attributes:
        name: the name the book gives it (the key of :data:`RECIPES`).
        chapter: the chapter that builds and explains it.
        command: its name in ``aegan-tf train`` (``None``: not in the command line).
        value_range: the range of the images it trains on and draws, at the book's size (a
            small one's: its ``expected_examples()``).
        phases: its training phases in order: one for most models; two for a model built on
            a trained first one (the latent GAN: its autoencoder, then the GAN on its codes).
        builders: by size, ``(seed, jit_compile, **options) -> compiled model`` of the first
            phase.
        next_builders: by size, ``(first, images, seed, jit_compile, **options) -> compiled
            model`` of the second phase, on the trained first; empty for one phase.
    """

    name: str
    chapter: int
    command: str | None
    value_range: tuple[float, float]
    phases: tuple[str, ...]
    builders: Mapping[str, Callable[..., keras.Model]]
    next_builders: Mapping[str, Callable[..., keras.Model]] = field(default_factory=dict)


# --- chapter 5's autoencoder (the latent GAN's first phase, the density baselines') ---------


def _autoencoder(
    seed: int, jit_compile, code_dim: int = AUTOENCODER_CODE_DIM, learning_rate: float = 2e-3
) -> Autoencoder:
    config.set_seed(seed)
    model = Autoencoder(build_conv_encoder(code_dim), build_conv_decoder(code_dim))
    model.compile(
        keras.optimizers.Adam(learning_rate),
        loss=losses.mse_reconstruction_loss,
        jit_compile=jit_compile,
    )
    return model


def _small_autoencoder(seed: int, jit_compile, optimizer=_small_adam) -> Autoencoder:
    config.set_seed(seed)
    model = Autoencoder(
        build_dense_encoder(SMALL_CODE_DIM, hidden_units=(32,)),
        build_dense_decoder(SMALL_CODE_DIM, hidden_units=(32,)),
    )
    model.compile(optimizer(), loss=losses.mse_reconstruction_loss, jit_compile=jit_compile)
    return model


# --- chapter 3's DCGAN -------------------------------------------------------------------


def _dcgan(
    seed: int,
    jit_compile,
    d_learning_rate: float = 2e-4,
    g_learning_rate: float = 2e-4,
    label_smoothing: float = 0.0,
) -> GAN:
    config.set_seed(seed)
    model = GAN(
        build_dcgan_generator(DCGAN_NOISE_DIM, filters=(128, 64, 32)),
        build_dcgan_discriminator(filters=(64, 128)),
        seed=seed,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        loss="nonsaturating",
        label_smoothing=label_smoothing,
        jit_compile=jit_compile,
    )
    return model


def _small_gan(
    seed: int,
    jit_compile,
    optimizer=_small_adam,
    loss: str = "nonsaturating",
    d_steps: int = 1,
    convolutional: bool = False,
    dropout: float = 0.3,
    conditional: bool = False,
) -> GAN:
    """MLP networks of 32 units; ``convolutional``: chapter 3's DCGAN networks (batch
    normalisation in the generator) with a few filters, ``dropout`` in the discriminator,
    and with ``conditional`` told the digit (a projection discriminator)."""
    config.set_seed(seed)
    if convolutional:
        classes = 10 if conditional else None
        generator = build_dcgan_generator(SMALL_CODE_DIM, filters=(16, 8, 4), n_classes=classes)
        discriminator = build_dcgan_discriminator(
            filters=(4, 8), dropout=dropout, n_classes=classes
        )
    elif conditional:
        raise ValueError("a conditional small GAN is convolutional: pass convolutional=True.")
    else:
        generator = keras.Sequential(
            [build_mlp_generator(SMALL_CODE_DIM, 784, (32,)), keras.layers.Reshape((28, 28, 1))]
        )
        discriminator = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                          build_mlp_discriminator(784, (32,))])  # fmt: skip
    model = GAN(generator, discriminator, seed=seed)
    model.compile(optimizer(), optimizer(), loss=loss, d_steps=d_steps, jit_compile=jit_compile)
    return model


# --- chapter 5's latent GAN: a GAN on the codes of a trained autoencoder ------------------


def _adapted(model: keras.Model, images: np.ndarray | None) -> keras.Model:
    if images is not None:
        model.adapt(images)
    return model


def _latent_gan(
    autoencoder: Autoencoder,
    images: np.ndarray | None,
    seed: int,
    jit_compile,
    loss: str = "wgan-gp",
    d_steps: int = 5,
    learning_rate: float = 1e-3,
    beta_1: float = 0.5,
    beta_2: float = 0.999,
    ema_momentum: float | None = None,
    conditioning: str | None = None,
) -> LatentGAN:
    """``conditioning``: chapter 11's conditional latent GAN, told the digit ("projection"
    or "concatenate": how its discriminator reads it); ``None``: chapter 5's."""
    config.set_seed(seed)
    code_dim = autoencoder.encoder.output_shape[-1]
    classes = None if conditioning is None else DIGITS
    condition = {} if conditioning is None else {"conditioning": conditioning}
    model = LatentGAN.from_autoencoder(
        autoencoder,
        build_mlp_generator(code_dim, code_dim, hidden_units=(256, 256), n_classes=classes),
        build_mlp_discriminator(
            code_dim, hidden_units=(256, 256), condition_dim=classes, **condition
        ),
        seed=seed,
    )
    _adapted(model, images)
    adam = {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2}
    ema = {"use_ema": True, "ema_momentum": ema_momentum} if ema_momentum else {}
    model.compile(
        keras.optimizers.Adam(**adam),
        keras.optimizers.Adam(**adam, **ema),
        loss=loss,
        d_steps=d_steps,
        jit_compile=jit_compile,
    )
    return model


def _small_latent_gan(
    autoencoder: Autoencoder, images: np.ndarray | None, seed: int, jit_compile,
    optimizer=_small_adam,
) -> LatentGAN:  # fmt: skip
    config.set_seed(seed)
    model = LatentGAN.from_autoencoder(
        autoencoder,
        build_mlp_generator(3, autoencoder.latent_dim, (16,)),
        build_mlp_discriminator(autoencoder.latent_dim, (16,)),
        seed=seed,
    )
    _adapted(model, images)
    model.compile(optimizer(), optimizer(), jit_compile=jit_compile)
    return model


# --- chapter 11: asking for a digit (conditional GANs) -----------------------------------


def _conditional_dcgan(
    seed: int, jit_compile, d_learning_rate: float = 2e-4, g_learning_rate: float = 2e-4
) -> GAN:
    config.set_seed(seed)
    model = GAN(
        build_dcgan_generator(DCGAN_NOISE_DIM, filters=(128, 64, 32), n_classes=DIGITS),
        build_dcgan_discriminator(filters=(64, 128), n_classes=DIGITS),
        seed=seed,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        jit_compile=jit_compile,
    )
    return model


# --- chapter 10's latent diffusion: a DDPM on the same autoencoder's codes ----------------


def _latent_diffusion(
    autoencoder: Autoencoder,
    images: np.ndarray | None,
    seed: int,
    jit_compile,
    learning_rate: float = 1e-3,
    ema_momentum: float | None = None,
    sampler: str = "ancestral",
    sampling_steps: int | None = None,
) -> LatentDiffusion:
    config.set_seed(seed)
    code_dim = autoencoder.encoder.output_shape[-1]
    model = LatentDiffusion.from_autoencoder(
        autoencoder,
        build_mlp_denoiser(code_dim, hidden_units=(512, 512, 512), time_dim=64),
        diffusion_steps=1000,
        sampler=sampler,
        sampling_steps=sampling_steps,
        seed=seed,
    )
    _adapted(model, images)
    ema = {"use_ema": True, "ema_momentum": ema_momentum} if ema_momentum else {}
    model.compile(keras.optimizers.Adam(learning_rate, **ema), jit_compile=jit_compile)
    return model


def _small_latent_diffusion(
    autoencoder: Autoencoder, images: np.ndarray | None, seed: int, jit_compile,
    optimizer=_small_adam,
) -> LatentDiffusion:  # fmt: skip
    config.set_seed(seed)
    model = LatentDiffusion.from_autoencoder(
        autoencoder,
        build_mlp_denoiser(autoencoder.latent_dim, (16,), time_dim=8),
        diffusion_steps=50,
        seed=seed,
    )
    _adapted(model, images)
    model.compile(optimizer(), jit_compile=jit_compile)
    return model


# --- chapter 6: the adversarial autoencoder and its semi-supervised form -------------------


def _aae(seed: int, jit_compile, game_rate: float = 2e-4) -> AdversarialAutoencoder:
    config.set_seed(seed)
    model = AdversarialAutoencoder(
        build_conv_encoder(FAMILY_CODE_DIM),
        build_conv_decoder(FAMILY_CODE_DIM),
        build_mlp_discriminator(FAMILY_CODE_DIM, (256, 256)),
        prior=priors.GaussianPrior(FAMILY_CODE_DIM),
        seed=seed,
    )
    model.compile(
        ae_optimizer=keras.optimizers.Adam(1e-3),
        d_optimizer=keras.optimizers.Adam(game_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(game_rate, beta_1=0.5),
        jit_compile=jit_compile,
    )
    return model


def _small_aae(
    seed: int, jit_compile, optimizer=_small_adam, conditional: bool = False
) -> AdversarialAutoencoder:
    """``conditional``: chapter 6's label-conditioned AAE, a prior of 10 Gaussians that the
    discriminator is told the component of (labels in each batch)."""
    config.set_seed(seed)
    classes = 10 if conditional else None
    model = AdversarialAutoencoder(
        build_dense_encoder(SMALL_CODE_DIM, hidden_units=(32,)),
        build_dense_decoder(SMALL_CODE_DIM, hidden_units=(32,)),
        build_mlp_discriminator(SMALL_CODE_DIM, (16,), condition_dim=classes),
        prior=priors.GaussianMixturePrior(SMALL_CODE_DIM, classes) if conditional else None,
        conditional=conditional,
        seed=seed,
    )
    model.compile(optimizer(), optimizer(), optimizer(), jit_compile=jit_compile)
    return model


def _semi_supervised_aae(
    seed: int,
    jit_compile,
    reconstruction_rate: float = 1e-3,
    game_rate: float = 2e-4,
    classification_rate: float = 1e-3,
) -> SemiSupervisedAAE:
    config.set_seed(seed)
    classes, style = SEMI_SUPERVISED_CLASSES, SEMI_SUPERVISED_STYLE_DIM
    model = SemiSupervisedAAE(
        build_conv_encoder(classes + style),
        build_conv_decoder(classes + style),
        build_mlp_discriminator(classes, (256, 256)),
        build_mlp_discriminator(style, (256, 256)),
        n_classes=classes,
        seed=seed,
    )
    model.compile(
        ae_optimizer=keras.optimizers.Adam(reconstruction_rate),
        d_optimizer=keras.optimizers.Adam(game_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(game_rate, beta_1=0.5),
        c_optimizer=keras.optimizers.Adam(classification_rate),
        jit_compile=jit_compile,
    )
    return model


def _small_semi_supervised_aae(seed: int, jit_compile, optimizer=_small_adam):
    config.set_seed(seed)
    model = SemiSupervisedAAE(
        build_dense_encoder(10 + SMALL_CODE_DIM, hidden_units=(32,)),
        build_dense_decoder(10 + SMALL_CODE_DIM, hidden_units=(32,)),
        build_mlp_discriminator(10, (16,)),
        build_mlp_discriminator(SMALL_CODE_DIM, (16,)),
        seed=seed,
    )
    model.compile(*(optimizer() for _ in range(4)), jit_compile=jit_compile)
    return model


# --- chapter 7: the VAE and the VAE-GAN ----------------------------------------------------


def _vae(seed: int, jit_compile, learning_rate: float = 1e-3) -> VAE:
    config.set_seed(seed)
    model = VAE(
        build_conv_encoder(2 * FAMILY_CODE_DIM), build_conv_decoder(FAMILY_CODE_DIM), seed=seed
    )
    model.compile(keras.optimizers.Adam(learning_rate), jit_compile=jit_compile)
    return model


def _small_vae(seed: int, jit_compile, optimizer=_small_adam) -> VAE:
    config.set_seed(seed)
    model = VAE(
        build_dense_encoder(2 * SMALL_CODE_DIM, hidden_units=(32,)),
        build_dense_decoder(SMALL_CODE_DIM, hidden_units=(32,)),
        seed=seed,
    )
    model.compile(optimizer(), jit_compile=jit_compile)
    return model


def _vaegan(seed: int, jit_compile, feature_weight: float = 0.1) -> VAEGAN:
    config.set_seed(seed)
    model = VAEGAN(
        build_conv_encoder(2 * FAMILY_CODE_DIM),
        build_conv_decoder(FAMILY_CODE_DIM),
        build_dcgan_discriminator(filters=(32, 64), dropout=0.0),
        seed=seed,
    )
    adam = {"learning_rate": 3e-4, "beta_1": 0.5}
    model.compile(
        keras.optimizers.Adam(**adam),
        keras.optimizers.Adam(**adam),
        keras.optimizers.Adam(**adam),
        feature_weight=feature_weight,
        jit_compile=jit_compile,
    )
    return model


def _small_vaegan(seed: int, jit_compile, optimizer=_small_adam, dropout: float = 0.3) -> VAEGAN:
    config.set_seed(seed)
    model = VAEGAN(
        build_conv_encoder(2 * SMALL_CODE_DIM, filters=(4, 8)),
        build_conv_decoder(SMALL_CODE_DIM, filters=(8, 4)),
        build_dcgan_discriminator(filters=(4, 8), dropout=dropout),
        seed=seed,
    )
    model.compile(optimizer(), optimizer(), optimizer(), jit_compile=jit_compile)
    return model


# --- BiGANs: chapter 9's convolutional one, chapter 8's MLP one (Donahue et al.) ------------


def _bigan(seed: int, jit_compile, r1_weight: float = 0.0) -> BiGAN:
    config.set_seed(seed)
    model = BiGAN(
        build_conv_encoder(FAMILY_CODE_DIM),
        build_dcgan_generator(FAMILY_CODE_DIM, filters=(128, 64, 32)),
        build_joint_discriminator(FAMILY_CODE_DIM, filters=(32, 64), hidden_units=(256,)),
        seed=seed,
    )
    adam = {"learning_rate": 2e-4, "beta_1": 0.5}
    model.compile(
        keras.optimizers.Adam(**adam),
        keras.optimizers.Adam(**adam),
        r1_weight=r1_weight,
        jit_compile=jit_compile,
    )
    return model


def _small_bigan(seed: int, jit_compile, optimizer=_small_adam, dropout: float = 0.3) -> BiGAN:
    config.set_seed(seed)
    model = BiGAN(
        build_conv_encoder(SMALL_CODE_DIM, filters=(4, 8)),
        build_conv_decoder(SMALL_CODE_DIM, filters=(8, 4)),
        build_joint_discriminator(
            SMALL_CODE_DIM, filters=(4, 8), hidden_units=(16,), dropout=dropout
        ),
        seed=seed,
    )
    model.compile(optimizer(), optimizer(), jit_compile=jit_compile)
    return model


MLP_BIGAN_ADAM = {"learning_rate": 2e-4, "beta_1": 0.5}
"""Chapter 8's Adam settings (Donahue et al. 2016), for its BiGAN and latent regressor."""


def _mlp_bigan_adam() -> keras.optimizers.Optimizer:
    return keras.optimizers.Adam(**MLP_BIGAN_ADAM)


def _mlp_bigan(seed: int, jit_compile, r1_weight: float = 10.0, with_encoder: bool = True):
    config.set_seed(seed)
    code = MLP_BIGAN_CODE_DIM
    if with_encoder:
        model = BiGAN(
            build_mlp_image_encoder(code),
            build_mlp_image_generator(code),
            build_mlp_image_discriminator(code),
            seed=seed,
            prior="uniform",
        )
    else:  # the same generator in a plain GAN (chapter 8's latent-regressor baseline)
        model = GAN(
            build_mlp_image_generator(code),
            build_mlp_image_discriminator(None),
            seed=seed,
            prior="uniform",
        )
    model.compile(
        _mlp_bigan_adam(), _mlp_bigan_adam(), r1_weight=r1_weight, jit_compile=jit_compile
    )
    return model


RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in (
        Recipe("autoencoder", 5, "autoencoder", (0.0, 1.0), ("autoencoder",),
               {"book": _autoencoder, "small": _small_autoencoder}),
        Recipe("VAE", 7, "vae", (0.0, 1.0), ("VAE",), {"book": _vae, "small": _small_vae}),
        Recipe("DCGAN", 3, "gan", (-1.0, 1.0), ("GAN",), {"book": _dcgan, "small": _small_gan}),
        Recipe("latent GAN", 5, "latent_gan", (0.0, 1.0), ("autoencoder", "GAN on codes"),
               {"book": _autoencoder, "small": _small_autoencoder},
               {"book": _latent_gan, "small": _small_latent_gan}),
        Recipe("latent diffusion", 10, "latent_diffusion", (0.0, 1.0),
               ("autoencoder", "diffusion on codes"),
               {"book": _autoencoder, "small": _small_autoencoder},
               {"book": _latent_diffusion, "small": _small_latent_diffusion}),
        Recipe("conditional DCGAN", 11, "conditional_gan", (-1.0, 1.0), ("GAN",),
               {"book": _conditional_dcgan}),
        Recipe("conditional latent GAN", 11, "conditional_latent_gan", (0.0, 1.0),
               ("autoencoder", "conditional GAN on codes"), {"book": _autoencoder},
               {"book": functools.partial(_latent_gan, conditioning="projection")}),
        Recipe("AAE", 6, "aae", (0.0, 1.0), ("AAE",), {"book": _aae, "small": _small_aae}),
        Recipe("VAE-GAN", 7, "vaegan", (0.0, 1.0), ("VAE-GAN",),
               {"book": _vaegan, "small": _small_vaegan}),
        Recipe("BiGAN", 9, "bigan", (-1.0, 1.0), ("BiGAN",),
               {"book": _bigan, "small": _small_bigan}),
        Recipe("MLP BiGAN", 8, None, (0.0, 1.0), ("BiGAN",), {"book": _mlp_bigan}),
        Recipe("semi-supervised AAE", 6, None, (0.0, 1.0), ("semi-supervised AAE",),
               {"book": _semi_supervised_aae, "small": _small_semi_supervised_aae}),
    )
}  # fmt: skip
"""Every recipe by name, in the order of the command line's models."""

COMMANDS: dict[str, str] = {r.command: r.name for r in RECIPES.values() if r.command}
"""The command line's model names (``aegan-tf train NAME``), each to its recipe's name."""


def recipe(name: str) -> Recipe:
    """The recipe ``name`` (a key of :data:`RECIPES`)."""
    if name not in RECIPES:
        raise ValueError(f"Unknown recipe {name!r}; choose one of {list(RECIPES)}.")
    return RECIPES[name]


def _builder(name: str, size: str, second: bool) -> Callable[..., keras.Model]:
    chosen = recipe(name)
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}.")
    builders = chosen.next_builders if second else chosen.builders
    if second and not builders:
        raise ValueError(f"{name!r} trains in one phase ({chosen.phases[0]}): use build().")
    if size not in builders:
        raise ValueError(f"{name!r} has no {size!r} size; it has {list(builders)}.")
    return builders[size]


def options(name: str, size: str = "book", second: bool = False) -> dict[str, object]:
    """The keyword options of the recipe ``name`` at ``size`` (of its second phase with
    ``second``) and their defaults."""
    parameters = inspect.signature(_builder(name, size, second)).parameters
    skipped = 4 if second else 2  # (first, images,) seed, jit_compile
    return {p.name: p.default for p in list(parameters.values())[skipped:]}


def _checked(name: str, size: str, second: bool, given: dict) -> None:
    unknown = sorted(set(given) - set(options(name, size, second)))
    if unknown:
        raise TypeError(
            f"{name!r} ({size}{', second phase' if second else ''}) takes the options "
            f"{list(options(name, size, second))}, got {unknown}."
        )


def build(
    name: str, seed: int = 0, size: str = "book", jit_compile: bool | str = "auto", **option
) -> keras.Model:
    """The compiled model of the recipe ``name`` (of its first phase, for a recipe of two),
    its initial weights and its noise from ``seed``; ``option``: those of :func:`options`;
    ``jit_compile`` goes to ``compile`` (``True``: XLA, as on a GPU)."""
    _checked(name, size, False, option)
    return _builder(name, size, False)(seed, jit_compile, **option)


def build_next(
    name: str,
    first: keras.Model,
    images: np.ndarray | None,
    seed: int = 0,
    size: str = "book",
    jit_compile: bool | str = "auto",
    **option,
) -> keras.Model:
    """The compiled second phase of the recipe ``name`` on its trained first phase ``first``
    (the latent GAN on its autoencoder), adapted to ``images`` ``(N, 28, 28, 1)`` (``None``:
    the caller adapts it)."""
    _checked(name, size, True, option)
    return _builder(name, size, True)(first, images, seed, jit_compile, **option)
