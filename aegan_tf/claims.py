"""Claims about a run, checked under the output that backs them.

A chapter's sentence about its result ("the VAE-GAN's samples are sharper") is backed by a
:func:`claim` under the numbers. In the book's own build (``make book``, which sets
``AEGAN_STRICT_CLAIMS=1``; the tests set it too) a claim that does not hold raises
:class:`ClaimNotHeld`, so the build fails. Anywhere else (a reader in Colab, a student) it
prints one line that says so, with the numbers of this run and of the book's, and execution
goes on: another seed, machine, TensorFlow version or data set gives other numbers.
"""

from __future__ import annotations

import numbers

import numpy as np

from aegan_tf.config import _flag

STRICT_ENV = "AEGAN_STRICT_CLAIMS"
"""Set to ``1`` (``make book`` and the tests do) for a claim that does not hold to raise."""


class ClaimNotHeld(AssertionError):
    """A claim that did not hold in a strict run (the book's own build, the tests)."""


def _shown(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    return str(value)


def claim(holds, statement: str, *, book: str | None = None, **seen) -> None:
    """Check ``holds`` (a ``bool``), the truth of ``statement`` in this run.

    Prints ``✓ statement (seen)`` when it holds. When it does not: raises
    :class:`ClaimNotHeld` in a strict run (``AEGAN_STRICT_CLAIMS=1``); else prints one line
    with ``statement``, the numbers ``seen`` in this run (``name=value``) and ``book`` (what
    the book's run gave, in words) and goes on. Returns nothing (a notebook cell that ends
    with a claim shows its line, not a value).
    """
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(
            f"holds must be True or False (a comparison), got {type(holds).__name__} ({holds!r})."
        )
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError(f"statement must be the claim in words, got {statement!r}.")
    numbers_seen = ", ".join(f"{name} {_shown(value)}" for name, value in seen.items())
    said = statement + (f" ({numbers_seen})" if numbers_seen else "")
    if holds:
        print(f"✓ {said}")
        return
    message = (
        f"✗ Not in this run: {said}."
        + (f" In the book's run: {book}." if book else "")
        + " Runs differ with the seed (AEGAN_SEED), the machine, the TensorFlow version and the"
        " data; the rest of the notebook still runs."
    )
    if _flag(STRICT_ENV):
        raise ClaimNotHeld(message)
    print(message)
