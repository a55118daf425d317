"""What every check shares: how a student's function is called and judged, and the inputs
that checks draw."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf


class NotYetRight(AssertionError):
    """A student's function does not do what its exercise asks; the message says why."""


@dataclass(frozen=True)
class _Mistake:
    says: str  # what the student did, in words
    compute: Callable[..., Any]  # the same mistake, made on purpose


_STUB = (
    "it still raises NotImplementedError: replace the `raise NotImplementedError()` line "
    "with your code."
)


def _numpy(value: Any) -> Any:
    """A function's result as numpy: a tuple stays a tuple; tensors and floats become arrays."""
    if isinstance(value, (tuple, list)):
        return tuple(_numpy(v) for v in value)
    if value is None:
        return None
    array = np.asarray(keras.ops.convert_to_numpy(value) if tf.is_tensor(value) else value)
    if np.iscomplexobj(array):  # scipy.linalg.sqrtm's tiny imaginary parts
        array = array.real
    return array


def _same_structure(got: Any, want: Any) -> bool:
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want)
    return isinstance(got, np.ndarray)


def _close(got: Any, want: Any, rtol: float, atol: float) -> bool:
    if isinstance(want, tuple):
        return _same_structure(got, want) and all(
            _close(g, w, rtol, atol) for g, w in zip(got, want, strict=True)
        )
    if not isinstance(got, np.ndarray) or got.shape != want.shape:
        return False
    if not np.issubdtype(got.dtype, np.number):
        return False
    return bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True))


def _shape(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_shape(v) for v in value) + ")"
    return "a scalar" if value.ndim == 0 else f"shape {value.shape}"


def _rights_and_wrong(got: Any, want: Any, rtol: float, atol: float) -> tuple[list[str], str]:
    """What is already right about ``got``, and the first thing found wrong with it."""
    rights = ["it runs"]
    if got is None:
        return rights, "it returns None: is the `return` line missing?"
    if not _same_structure(got, want):
        count = len(want) if isinstance(want, tuple) else 1
        return (
            rights,
            f"it should return {count} value(s) ({_shape(want)}), it returns {_shape(got)}.",
        )
    pairs = zip(got, want, strict=True) if isinstance(want, tuple) else [(got, want)]
    for position, (g, w) in enumerate(pairs):
        where = f"value {position + 1}: " if isinstance(want, tuple) else ""
        if not isinstance(g, np.ndarray):
            return rights, f"{where}it is {g!r}; a number or an array is expected."
        if g.shape != w.shape:
            return rights, f"{where}it returns {_shape(g)}, expected {_shape(w)}."
        if not np.issubdtype(g.dtype, np.floating) and np.issubdtype(w.dtype, np.floating):
            return rights, f"{where}it returns {g.dtype} values; floating point is expected."
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(w)):
            return rights, f"{where}it returns NaN or infinity where a finite value is expected."
        if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=True):
            off = float(np.nanmax(np.abs(g - w))) if g.size else 0.0
            rights.append(f"{where}{_shape(g)} is right" if g.ndim else f"{where}a scalar, right")
            return rights, (
                f"{where}the values are off (by up to {off:.3g}), and not by one of the usual "
                "mistakes I know: compare each term with the formula in the text."
            )
        rights.append(f"value {position + 1} is right" if isinstance(want, tuple) else "")
    return rights, ""


def _call(function: Callable, args: tuple) -> Any:
    try:
        return function(*args)
    except NotImplementedError as error:
        raise NotYetRight(_STUB) from error
    except Exception as error:  # the student's own error, shown in one line
        first_line = str(error).splitlines()[0][:300] if str(error) else ""
        raise NotYetRight(f"it raised {type(error).__name__}: {first_line}") from error


def _judge(
    exercise: str,
    function: Callable,
    cases: Sequence[tuple],
    reference: Callable,
    mistakes: Sequence[_Mistake] = (),
    rtol: float = 1e-4,
    atol: float = 1e-5,
    case_notes: Sequence[str] = (),
) -> None:
    """Run ``function`` on each case; pass silently, or raise NotYetRight naming the problem."""
    if not callable(function):
        raise TypeError(f"{exercise}: pass your function itself, got {type(function).__name__}.")
    wants, gots = [], []
    for args in cases:
        wants.append(_numpy(reference(*args)))
        try:
            got = _numpy(_call(function, args))
        except NotYetRight as error:
            raise NotYetRight(f"{exercise} is not right yet: {error}") from None
        if isinstance(got, tuple) and not isinstance(wants[-1], tuple):
            got = np.asarray(got)  # a list of numbers where an array is asked
        gots.append(got)
    wrong_at = [i for i in range(len(cases)) if not _close(gots[i], wants[i], rtol, atol)]
    if not wrong_at:
        print(f"✓ {exercise}: right on {len(cases)} fresh random inputs.")
        return
    index = wrong_at[0]
    rights, wrong = _rights_and_wrong(gots[index], wants[index], rtol, atol)

    def made(mistake: _Mistake, i: int) -> Any:
        try:
            return _numpy(mistake.compute(*cases[i]))
        except Exception:  # the mistake does not apply to these inputs
            return None

    matching = [m for m in mistakes if _close(gots[index], made(m, index), rtol, atol)]
    # Where several mistakes give the same values here, name one that explains every input.
    everywhere = [m for m in matching if all(_close(gots[i], made(m, i), rtol, atol)
                                             for i in range(len(cases)))]  # fmt: skip
    if everywhere or matching:
        wrong = (everywhere or matching)[0].says
    note = case_notes[index] if index < len(case_notes) else ""
    right = "; ".join(r for r in rights if r)
    raise NotYetRight(
        f"{exercise} is not right yet{note}.\n  Right: {right}.\n  Wrong: {wrong}\n  (Inputs "
        f"drawn with seed {_drawn['seed']}: AEGAN_EXERCISE_SEED={_drawn['seed']} draws them again.)"
    )


_drawn = {"seed": None}


def _rng() -> np.random.Generator:
    """Fresh inputs at every check, from a seed that a failed check names: set
    ``AEGAN_EXERCISE_SEED`` to it to draw the same inputs again."""
    seed = os.environ.get("AEGAN_EXERCISE_SEED")
    _drawn["seed"] = int(seed) if seed else secrets.randbits(32)
    return np.random.default_rng(_drawn["seed"])


def _dense(units: int, rng: np.random.Generator, activation: str | None = None):
    """A ``Dense`` layer whose initial weights come from ``rng``: the check never reseeds the
    reader's Keras (``keras.utils.set_random_seed`` would)."""
    seed = int(rng.integers(2**31))
    return keras.layers.Dense(
        units, activation, kernel_initializer=keras.initializers.GlorotUniform(seed)
    )


def _images(rng: np.random.Generator, n: int, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    return rng.uniform(low, high, (n, 6, 6, 1)).astype(np.float32)


def _logits(rng: np.random.Generator, n: int, scale: float = 3.0) -> np.ndarray:
    return (rng.normal(size=n) * scale).astype(np.float32)


def _mean(x) -> np.ndarray:
    return np.mean(np.asarray(x, np.float64))


def _softplus(x) -> np.ndarray:
    return np.logaddexp(0.0, np.asarray(x, np.float64))


def _d_loss(real, fake) -> float:
    """The discriminator's loss on logits, real labelled 1 and fake 0 (chapters 6 and 8)."""
    return _mean(_softplus(-real)) + _mean(_softplus(fake))
