"""The recipe registry: every model of the book in one place, equal to what its chapter builds."""

import ast
import json
from pathlib import Path

import keras
import numpy as np
import pytest

from aegan_tf import cli, config, recipes
from aegan_tf.book import comparison
from aegan_tf.models.composed import output_range

BOOK = Path(__file__).resolve().parents[1] / "book"

NETWORKS = ("encoder", "decoder", "generator", "discriminator", "denoiser")


def _layers(net: keras.Model) -> list:
    """A network's layers in order: class and configuration without the generated names."""
    return [
        (type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
        for layer in net.layers
    ]


def _signature(model: keras.Model) -> dict:
    """What makes two compiled models the same recipe: class, networks layer by layer, the
    model's own settings (prior, seed, ...) and its compile settings, names left out."""
    nets = {n: _layers(getattr(model, n)) for n in NETWORKS if hasattr(model, n)}
    places = {  # a setting that names a layer (the VAE-GAN's feature layer): where it is
        layer.name: (n, i) for n in nets for i, layer in enumerate(getattr(model, n).layers)
    }
    own = {
        key: places.get(value, value) if isinstance(value, str) else value
        for key, value in model.get_config().items()
        if key not in (*NETWORKS, "name", "trainable", "dtype")
    }
    compiled = json.loads(json.dumps(model.get_compile_config(), default=str))
    compiled.pop("jit_compile", None)
    for value in compiled.values():
        if isinstance(value, dict) and value.get("module") == "keras.optimizers":
            value["config"].pop("name")
    return {"class": type(model).__name__, "networks": nets, "own": own, "compile": compiled}


def _imports_what_models_need(node: ast.stmt) -> bool:
    """An import of the package, Keras, TensorFlow or numpy (not the chapter's plotting or
    tables: the oldest-versions environment has no pandas)."""
    if isinstance(node, ast.ImportFrom):
        modules = [node.module or ""]
    elif isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
    else:
        return False
    return all(m.split(".")[0] in ("aegan_tf", "keras", "numpy", "tensorflow") for m in modules)


def _chapter_model(notebook: str, names: tuple[str, ...], model: str) -> keras.Model:
    """Run the statements of ``notebook`` that build ``model``: its imports of the package and
    the frameworks, the definitions and assignments of ``names`` and ``config.set_seed``
    calls, up to ``model``'s assignment, then in the rest of that cell the assignments of
    ``names`` and the model's ``compile``."""
    cells = json.loads((BOOK / notebook).read_text())["cells"]
    chosen, assigned = [], False
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        try:
            statements = ast.parse("".join(cell["source"])).body
        except SyntaxError:
            continue
        for node in statements:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            call = node.value if isinstance(node, ast.Expr) else None
            method = call.func if isinstance(call, ast.Call) else None
            owner = getattr(getattr(method, "value", None), "id", None)
            compiles = owner == model and getattr(method, "attr", None) == "compile"
            if assigned:  # the rest of the cell: its compile and the names it uses
                if compiles or any(t in names for t in targets):
                    chosen.append(node)
                continue
            if (
                _imports_what_models_need(node)
                or (isinstance(node, ast.FunctionDef) and node.name in names)
                or any(t in names for t in targets)
                or (owner == "config" and getattr(method, "attr", None) == "set_seed")
            ):
                chosen.append(node)
            assigned = model in targets
        if assigned:
            break
    assert assigned, f"{notebook} never assigns {model}"
    namespace: dict = {}
    exec(compile(ast.Module(chosen, type_ignores=[]), notebook, "exec"), namespace)
    return namespace[model]


INLINE = {
    "AAE": ("06_adversarial_autoencoder.ipynb", ("make_aae", "CODE_DIM", "aae"), "aae"),
    "VAE": ("07_vae_gan.ipynb", ("CODE_DIM", "vae"), "vae"),
    "VAE-GAN": ("07_vae_gan.ipynb", ("CODE_DIM", "adam", "vaegan"), "vaegan"),
    "latent diffusion": (
        "10_latent_diffusion.ipynb",
        ("CODE_DIM", "autoencoder", "diffusion"),
        "diffusion",
    ),
    "conditional DCGAN": ("11_conditional_gans.ipynb", ("conditional_dcgan",), "conditional_dcgan"),
    "conditional latent GAN": (
        "11_conditional_gans.ipynb",
        ("CODE_DIM", "autoencoder", "conditional_gan"),
        "conditional_gan",
    ),
}
"""The recipes that their chapter builds inline, for teaching: notebook, the names of the
statements that build the model, and the model's name there (of a recipe of two phases, the
second, on the chapter's first)."""

THROUGH_THE_PACKAGE = {
    "DCGAN": ("03_dcgan.ipynb", "dcgan_tips.build("),
    "latent GAN": ("05_latent_gan.ipynb", "latent_objectives.build("),
    "semi-supervised AAE": ("06_adversarial_autoencoder.ipynb", "semi_supervised.build("),
    "MLP BiGAN": ("08_bigan.ipynb", "mlp_bigan.build("),
    "BiGAN": ("09_comparison.ipynb", "comparison.train_contestant("),
}
"""The recipes that their chapter builds through a package function that calls the recipe."""


@pytest.mark.parametrize("name", sorted(INLINE))
def test_each_inline_chapter_model_equals_its_recipe(name):
    notebook, names, model = INLINE[name]
    built_by_the_chapter = _chapter_model(notebook, names, model)
    built = recipes.build(name, config.seed())
    if recipes.recipe(name).next_builders:
        built = recipes.build_next(name, built, None, config.seed())
    assert _signature(built) == _signature(built_by_the_chapter)


def test_every_recipe_is_built_by_its_chapter_inline_or_through_the_package():
    assert set(INLINE) | set(THROUGH_THE_PACKAGE) | {"autoencoder"} == set(recipes.RECIPES)
    for name, (notebook, call) in THROUGH_THE_PACKAGE.items():
        assert call in (BOOK / notebook).read_text(), name
        assert notebook.startswith(f"{recipes.recipe(name).chapter:02d}_"), name


def test_the_command_line_and_the_comparison_take_their_models_from_the_recipes():
    assert cli.MODELS == tuple(recipes.COMMANDS)
    for command, name in recipes.COMMANDS.items():
        assert cli.image_range(command) == recipes.recipe(name).value_range
    in_recipes = [m for m in comparison.MODELS if m in recipes.RECIPES]
    assert in_recipes == ["DCGAN", "latent GAN", "AAE", "VAE", "VAE-GAN", "BiGAN",
                          "latent diffusion", "conditional latent GAN"]  # fmt: skip
    budget = {"autoencoder_share", "encode_once"}  # comparison.CodesBudget's fields
    for family, settings in comparison.SETTINGS.items():
        for options in settings.values():
            name = options.get("recipe", family)
            if family in comparison.CODE_MODELS:  # the second phase's options
                allowed = set(recipes.options(name, second=True)) | budget
                assert set(options) <= allowed, (family, options)
            elif name in recipes.RECIPES:
                allowed = set(recipes.options(name)) | {"recipe"}
                assert set(options) <= allowed, (family, options)


@pytest.mark.parametrize("size", recipes.SIZES)
def test_every_recipe_builds_repeatably_in_its_range(size, autoencoder, images):
    for name, recipe in recipes.RECIPES.items():
        if size not in recipe.builders:
            continue
        first, again = recipes.build(name, 3, size), recipes.build(name, 3, size)
        for a, b in zip(first.get_weights(), again.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
        if recipe.next_builders:
            trained = autoencoder if size == "small" else first
            first = recipes.build_next(name, trained, None, 3, size)
            assert isinstance(first, keras.Model)
        if size == "book":  # (a small network's range is its own: expected_examples())
            drawing = next(getattr(first, n) for n in NETWORKS[1:3] if hasattr(first, n))
            assert output_range(drawing) == recipe.value_range, name


def test_bad_names_sizes_and_options_are_refused_with_what_exists():
    with pytest.raises(ValueError, match=r"Unknown recipe 'GANN'.*'DCGAN'"):
        recipes.build("GANN")
    with pytest.raises(ValueError, match="size must be one of"):
        recipes.build("DCGAN", size="tiny")
    with pytest.raises(ValueError, match="'MLP BiGAN' has no 'small' size"):
        recipes.build("MLP BiGAN", size="small")
    with pytest.raises(TypeError, match=r"takes the options \['d_learning_rate'.*\['lr'\]"):
        recipes.build("DCGAN", lr=1e-3)
    with pytest.raises(ValueError, match="trains in one phase"):
        recipes.build_next("VAE", None, None)
    assert recipes.options("latent GAN", second=True)["loss"] == "wgan-gp"
