"""The command line: ``aegan-tf`` (or ``python -m aegan_tf``) trains, samples and evaluates
the package's models on MNIST, each configured as in its chapter.

    aegan-tf train gan --epochs 20 --out runs/gan     # Ctrl-C, then the same with --resume
    aegan-tf sample runs/gan --n 64 --out grid.png
    aegan-tf evaluate runs/gan

A run directory holds ``run.json`` (the model and settings), ``model.keras`` (the model after
its last finished epoch), ``samples/epoch_NNNN.png`` and ``metrics/epoch_NNNN.json`` (the
logged losses, and FID for the models that draw images), and ``backup/`` (Keras's
``BackupAndRestore``: weights, optimizer state, random generators). Every file is written
whole or not at all, and Ctrl-C stops between two training steps, so an interrupted run
loses at most the epoch in progress; ``--resume`` continues it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import traceback
import zipfile
from collections.abc import Sequence
from pathlib import Path

MODELS = (
    "autoencoder", "vae", "gan", "latent_gan", "latent_diffusion", "conditional_gan",
    "conditional_latent_gan", "aae", "vaegan", "bigan",
)  # fmt: skip
"""The models that ``train`` knows, each a recipe of :mod:`aegan_tf.recipes` (whose
``COMMANDS`` name them; a test checks that they agree): chapter 1's autoencoder (as chapter 5
configures it), the VAE, the DCGAN, chapter 5's latent GAN (an autoencoder, then a GAN on its
codes), chapter 10's latent diffusion (the same autoencoder, then diffusion on its codes),
chapter 11's conditional DCGAN and conditional latent GAN (trained on the digits' labels:
``sample --digit`` asks them for one), the AAE, the VAE-GAN and the BiGAN."""
_DEFAULTS = {"epochs": 20, "batch_size": 64, "seed": 0, "limit": None, "precision": "float32",
             "eval_samples": 1000, "ae_epochs": None}  # fmt: skip
_PACKAGE = Path(__file__).resolve().parent
_FIXED = ("batch_size", "seed", "limit", "precision")  # a resumed run keeps them
_RUN, _MODEL, _BACKUP = "run.json", "model.keras", "backup"


class CommandError(Exception):
    """A mistake in the command (unknown model, missing or mismatched run directory): the
    message is printed without a traceback and the command exits with status 2."""


def _write_atomically(path: Path, write) -> None:
    """``write(temporary path)``, then rename it to ``path``: never a half-written file."""
    partial = path.with_name(f".partial.{path.name}")
    write(partial)
    os.replace(partial, path)


def _write_json(path: Path, value: dict) -> None:
    _write_atomically(path, lambda p: p.write_text(json.dumps(value, indent=2) + "\n"))


def _read_run(out: Path) -> dict:
    run_file = out / _RUN
    if not run_file.exists():
        raise CommandError(
            f"{out} holds no run ({_RUN} is missing): give the --out directory of `aegan-tf train`."
        )
    return json.loads(run_file.read_text())


def _epochs_done(out: Path) -> int:
    return len(list((out / "metrics").glob("epoch_*.json")))


def _load_model(out: Path):
    import keras

    import aegan_tf.models  # noqa: F401  (registers the package's classes for loading)

    run = _read_run(out)
    if not (out / _MODEL).exists():
        raise CommandError(
            f"{out} holds a {run['model']} run with no finished epoch yet ({_MODEL} is "
            f"missing): resume it with `aegan-tf train {run['model']} --out {out} --resume`."
        )
    if not zipfile.is_zipfile(out / _MODEL):  # (Keras would say "File not found")
        raise CommandError(
            f"{out / _MODEL} is not a whole .keras file (a copy cut short, or a full disk?): "
            f"train again, or resume from its backup with `aegan-tf train {run['model']} "
            f"--out {out} --resume`."
        )
    return keras.models.load_model(out / _MODEL), run


def _recipe(name: str):
    """The recipe (:mod:`aegan_tf.recipes`) of the model ``name`` of :data:`MODELS`."""
    from aegan_tf import recipes

    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}.")
    return recipes.recipe(recipes.COMMANDS[name])


def build_model(name: str, seed: int = 0):
    """The compiled model ``name`` of :data:`MODELS` as ``train`` builds it, with initial
    weights from ``seed``; for a model of two phases (``latent_gan``, ``latent_diffusion``),
    its first (the autoencoder; the model of its codes is built once it is trained:
    :func:`aegan_tf.recipes.build_next`)."""
    from aegan_tf import recipes

    return recipes.build(_recipe(name).name, seed)


def image_range(name: str) -> tuple[float, float]:
    """The value range of the images that the model ``name`` trains on and draws."""
    return _recipe(name).value_range


class _StopOnCtrlC:
    """Ctrl-C sets a flag that a callback turns into ``KeyboardInterrupt`` after the current
    training step, never in the middle of writing a file; a second Ctrl-C stops at once."""

    def __init__(self) -> None:
        self.asked = False

    def __enter__(self):
        def handler(signum, frame):
            self.asked = True
            signal.signal(signal.SIGINT, signal.default_int_handler)
            print("\nstopping after this step (Ctrl-C again to stop at once) ...", flush=True)

        self._previous = signal.signal(signal.SIGINT, handler)
        return self

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def callback(self):
        import keras

        stopper = self

        class StopBetweenSteps(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                if stopper.asked:
                    raise KeyboardInterrupt

        return StopBetweenSteps()


def _epoch_files(out: Path, value_range, reference, eval_samples: int, seed: int):
    """The callback that writes into ``out``, after every epoch, the model, and that epoch's
    metrics JSON and (for a model that draws images) sample grid, with FID of
    ``eval_samples`` samples against the ``reference`` features."""
    import keras
    import matplotlib.pyplot as plt

    from aegan_tf import metrics, viz
    from aegan_tf.models.composed import GenerativeModel

    class EpochFiles(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            for sub in ("metrics", "samples"):
                (out / sub).mkdir(parents=True, exist_ok=True)

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            number = epoch + 1  # Keras's own count: right after a resume too
            record = {"epoch": number, **{k: float(v) for k, v in (logs or {}).items()}}
            record["seconds"] = time.perf_counter() - self._start
            if isinstance(self.model, GenerativeModel):
                grid = self.model.generate(36, seed=seed)
                fig = viz.image_grid(grid, 6, value_range, title=f"epoch {number}")
                path = out / "samples" / f"epoch_{number:04d}.png"
                _write_atomically(path, lambda p: fig.savefig(p, dpi=80, format="png"))
                plt.close(fig)
                images = self.model.generate(eval_samples, seed=seed)
                record["fid"] = metrics.fid(reference, images, value_range)
            _write_atomically(out / _MODEL, self.model.save)
            _write_json(out / "metrics" / f"epoch_{number:04d}.json", record)

    return EpochFiles()


def _fit(model, dataset, epochs: int, phase_dir: Path, extra: list, verbose: int) -> None:
    """``fit`` up to epoch ``epochs``, from where the backup in ``phase_dir`` stands."""
    import keras

    done = _epochs_done(phase_dir)
    backup = keras.callbacks.BackupAndRestore(str(phase_dir / _BACKUP), delete_checkpoint=False)
    if done >= epochs:
        print(f"{phase_dir}: {done} epochs already trained (asked: {epochs}).")
        return
    if done:
        print(f"{phase_dir}: resuming after epoch {done} of {epochs}.")
    model.fit(dataset, epochs=epochs, callbacks=[backup, *extra], verbose=verbose)


def _settings(args: argparse.Namespace, out: Path) -> dict:
    """The run's settings: those given, the defaults for a new run; for ``--resume``, those
    of the run in ``out`` (the epochs and ``--eval-samples`` may change)."""
    given = {k: getattr(args, k) for k in _DEFAULTS if getattr(args, k) is not None}
    if not (out / _RUN).exists():
        if args.resume:
            raise CommandError(f"nothing to resume: {out} holds no run ({_RUN} is missing).")
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty and holds no run: choose another --out.")
        return {"model": args.model, **_DEFAULTS, **given}
    run = json.loads((out / _RUN).read_text())
    done = f"{run['model']} run ({_epochs_done(out)} of {run['epochs']} epochs done)"
    if not args.resume:
        raise CommandError(
            f"{out} already holds a {done}: pass --resume to continue it, or another --out."
        )
    if run["model"] != args.model:
        raise CommandError(
            f"{out} holds a {done}, not a {args.model} run: "
            f"`aegan-tf train {run['model']} --out {out} --resume` continues it."
        )
    changed = [f"--{k.replace('_', '-')} {run[k]} -> {given[k]}"
               for k in _FIXED if k in given and given[k] != run[k]]  # fmt: skip
    if changed:
        raise CommandError(
            f"--resume continues the run in {out} with its own settings, and these differ: "
            f"{'; '.join(changed)}. Leave them out (the epochs and --eval-samples may change)."
        )
    return {**run, **given}


def train(args: argparse.Namespace) -> None:
    out = Path(args.out)
    settings = _settings(args, out)
    model_name, epochs = settings["model"], settings["epochs"]
    two_phases = len(_recipe(model_name).phases) == 2
    if two_phases and settings["ae_epochs"] is None:
        settings["ae_epochs"] = epochs  # fixed now: more --epochs later extend phase 2 only

    import keras

    from aegan_tf import config, data, metrics, recipes

    recipe = _recipe(model_name)
    precision = config.set_precision(settings["precision"])
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / _RUN, {**settings, "policy": precision})
    value_range = image_range(model_name)
    images, labels = data.load("mnist", value_range=value_range, limit=settings["limit"])
    # FID's reference: the training images' features (an autoencoder draws nothing)
    reference = None
    if model_name != "autoencoder":
        reference = metrics.extract_features(images, value_range)
    dataset = data.make_dataset(images, batch_size=settings["batch_size"], seed=settings["seed"])
    verbose = 0 if args.quiet else 1
    print(
        f"{model_name}: {len(images)} training images, batch {settings['batch_size']}, {precision}"
    )
    seed = settings["seed"]
    with _StopOnCtrlC() as ctrl_c:
        files = _epoch_files(out, value_range, reference, settings["eval_samples"], seed)
        try:
            model = recipes.build(recipe.name, seed)  # a latent GAN's autoencoder first
            if len(recipe.phases) == 2:  # phase 1 (the autoencoder) in its own directory
                first = out / recipe.phases[0]
                ae_epochs = settings["ae_epochs"]
                ae_files = _epoch_files(first, value_range, None, 0, seed)
                _fit(model, dataset, ae_epochs, first, [ae_files, ctrl_c.callback()], verbose)
                autoencoder = keras.models.load_model(first / _MODEL)
                try:
                    model = recipes.build_next(recipe.name, autoencoder, images, seed)
                except ValueError as error:  # the autoencoder is not trained yet
                    raise CommandError(
                        f"{error} Train it longer: --resume --ae-epochs {2 * ae_epochs}."
                    ) from None
            if getattr(model, "n_classes", None):  # a conditional model: the digits' labels
                dataset = data.make_dataset(
                    images, batch_size=settings["batch_size"], seed=seed, labels=labels
                )
            _fit(model, dataset, epochs, out, [files, ctrl_c.callback()], verbose)
        except KeyboardInterrupt:
            print(
                f"\ninterrupted; {out} holds the {_epochs_done(out)} finished epochs. "
                f"Continue with:\n"
                f"  aegan-tf train {model_name} --out {out} --resume"
            )
            raise SystemExit(130) from None
    print(f"done: {_epochs_done(out)} epochs in {out} ({_MODEL}, samples/, metrics/).")


def sample(args: argparse.Namespace) -> None:
    from aegan_tf import viz
    from aegan_tf.models.composed import GenerativeModel

    model, run = _load_model(Path(args.run_dir))
    if not isinstance(model, GenerativeModel):
        raise CommandError(
            f"a {run['model']} does not draw new images (it reconstructs its inputs); "
            f"`aegan-tf evaluate {args.run_dir}` measures it."
        )
    if args.digit is not None and model.n_classes is None:
        raise CommandError(
            f"a {run['model']} is trained without labels: it cannot be asked for a digit. "
            f"Leave out --digit."
        )
    images = model.generate(args.n, seed=args.seed, labels=args.digit)
    fig = viz.image_grid(images, round(args.n**0.5), image_range(run["model"]))
    _write_atomically(Path(args.out), lambda p: fig.savefig(p, dpi=100, format="png"))
    digit = "" if args.digit is None else f", digit {args.digit}"
    print(f"{args.n} samples of {args.run_dir} (seed {args.seed}{digit}) in {args.out}")


def evaluate(args: argparse.Namespace) -> None:
    import numpy as np

    from aegan_tf import data, metrics
    from aegan_tf.models.composed import GenerativeModel

    out = Path(args.run_dir)
    model, run = _load_model(out)
    value_range = image_range(run["model"])
    train_images = data.load("mnist", value_range=value_range, limit=run["limit"])[0]
    if isinstance(model, GenerativeModel):
        images = model.generate(args.n, seed=args.seed)
        report = metrics.sample_report(images, train_images, value_range)
    else:
        test_images = data.load("mnist", "test", value_range=value_range)[0][: args.n]
        reconstructed = model.predict(test_images, verbose=0)
        report = {"test reconstruction MSE": float(np.mean((reconstructed - test_images) ** 2))}
    report = {"epochs": _epochs_done(out), "samples": args.n, **report}
    path = out / "evaluation.json"
    if path.exists() and json.loads(path.read_text()).get("samples", 0) > args.n:
        path = out / f"evaluation_n{args.n}.json"  # (the larger evaluation stays)
    _write_json(path, report)
    width = max(len(k) for k in report)
    for key, value in report.items():
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    print(f"(written to {path})")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _at_least(minimum: int):
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be at least {minimum} (below that, FID, KID, precision and recall mean "
                f"little), got {text}"
            )
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    from aegan_tf._validation import RELIABLE_SAMPLES
    from aegan_tf.config import POLICIES

    top = argparse.ArgumentParser(
        prog="aegan-tf", description="Train, sample and evaluate the aegan-tf models on MNIST."
    )
    commands = top.add_subparsers(dest="command", required=True)

    t = commands.add_parser(
        "train", help="train a model; Ctrl-C stops it, --resume continues it",
        description="Train MODEL on MNIST, configured as in its chapter. After every epoch "
        "OUT holds model.keras, samples/epoch_NNNN.png and metrics/epoch_NNNN.json.",
    )  # fmt: skip
    t.add_argument("model", choices=MODELS, metavar="MODEL", help=f"one of {', '.join(MODELS)}")
    t.add_argument("--epochs", type=_positive_int, help="epochs in all (default 20)")
    t.add_argument("--batch-size", type=_positive_int, help="default 64")
    t.add_argument("--out", required=True, help="the run directory (created)")
    t.add_argument("--resume", action="store_true", help="continue the run in --out")
    t.add_argument(
        "--precision", choices=("auto", *POLICIES),
        help="'auto': mixed precision where the hardware has it (default float32)",
    )  # fmt: skip
    t.add_argument("--seed", type=int, help="initial weights, noise, order (default 0)")
    t.add_argument(
        "--limit", type=_positive_int, help="train on the first LIMIT images (default all)"
    )
    t.add_argument("--eval-samples", type=_positive_int, help="samples for FID (default 1000)")
    t.add_argument(
        "--ae-epochs",
        type=_positive_int,
        help="latent_gan, latent_diffusion: the autoencoder's (default --epochs)",
    )
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(run=train)

    s = commands.add_parser("sample", help="draw a grid of samples from a trained run")
    s.add_argument("run_dir", metavar="DIR", help="a run directory of `aegan-tf train`")
    s.add_argument("--n", type=_positive_int, default=64, help="how many (default 64)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", default="grid.png", help="the PNG to write (default grid.png)")
    s.add_argument("--digit", type=int, help="draw only this digit (a model trained with labels)")
    s.set_defaults(run=sample)

    e = commands.add_parser(
        "evaluate", help="FID, KID, precision, recall, classes, memorisation of a run"
    )
    e.add_argument("run_dir", metavar="DIR", help="a run directory of `aegan-tf train`")
    e.add_argument(
        "--n", type=_at_least(RELIABLE_SAMPLES), default=2000,
        help=f"samples (default 2000; at least {RELIABLE_SAMPLES})",
    )  # fmt: skip
    e.add_argument("--seed", type=int, default=1)
    e.set_defaults(run=evaluate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (``sys.argv[1:]`` by default); returns the exit status."""
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except (CommandError, ValueError) as error:
        if isinstance(error, ValueError) and not _raised_by_the_package(error):
            raise  # a fault, not a bad argument: its traceback is what a bug report needs
        print(f"aegan-tf {args.command}: {error}", file=sys.stderr)  # the message names the fix
        return 2
    return 0


def _raised_by_the_package(error: BaseException) -> bool:
    """Whether ``error`` was raised by aegan_tf's own code (its checks name what to fix), not
    deep inside numpy, Keras or TensorFlow."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(_PACKAGE)
