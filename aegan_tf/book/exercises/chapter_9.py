"""The checks of chapter 9's exercises: check_seconds_to_reach, check_fid_at_budget."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aegan_tf.book import comparison
from aegan_tf.book.exercises._checking import (
    _judge,
    _Mistake,
    _rng,
)


def _fid_curve(rng: np.random.Generator, n: int) -> list[tuple[float, float]]:
    seconds = np.cumsum(rng.uniform(5, 30, n))
    fids = 150 * np.exp(-seconds / seconds[-1] * 3) + rng.uniform(0, 15, n)
    return [(float(s), float(f)) for s, f in zip(seconds, fids, strict=True)]


def check_seconds_to_reach(function: Callable) -> None:
    """``function(curve, fid)``: ``curve`` a list of ``(seconds, FID)`` -> the first second at
    which the FID is at or below ``fid``; ``float('nan')`` if it never is."""
    rng = _rng()
    cases = []
    for _ in range(3):
        curve = _fid_curve(rng, 12)
        cases.append((curve, float(np.median([f for _, f in curve]))))
    curve = _fid_curve(rng, 8)
    cases.append((curve, min(f for _, f in curve[:5])))  # first reached exactly
    cases.append((curve, min(f for _, f in curve) - 1.0))  # never reached

    def reached(curve, fid):
        return [s for s, f in curve if f <= fid]

    _judge(
        "seconds_to_reach",
        function,
        cases,
        comparison.seconds_to_reach,
        [
            _Mistake(
                "it returns the last time the curve is at or below the target; the first is asked.",
                lambda c, fid: (reached(c, fid) or [np.nan])[-1],
            ),
            _Mistake(
                "it returns the index of the measurement, not its time in seconds.",
                lambda c, fid: next((i for i, (_, f) in enumerate(c) if f <= fid), np.nan),
            ),
            _Mistake(
                "it needs the FID strictly below the target; at the target counts too.",
                lambda c, fid: next((s for s, f in c if f < fid), np.nan),
            ),
            _Mistake(
                "a run that never reaches the target should give NaN.",
                lambda c, fid: (reached(c, fid) or [np.inf])[0],
            ),
        ],
        case_notes=[
            "",
            "",
            "",
            " when a measurement equals the target",
            " when the target is never reached",
        ],
    )


def check_fid_at_budget(function: Callable) -> None:
    """``function(curve, seconds)``: ``curve`` a list of ``(seconds, FID)`` -> the FID of the
    last measurement taken at or before ``seconds``; ``float('nan')`` if there is none."""
    rng = _rng()
    cases = []
    for _ in range(3):
        curve = _fid_curve(rng, 10)
        cases.append((curve, float(rng.uniform(curve[1][0], curve[-1][0]))))
    curve = _fid_curve(rng, 6)
    cases += [(curve, curve[3][0]), (curve, curve[0][0] / 2)]
    rising = [(s, f + 40.0 * (i == 4)) for i, (s, f) in enumerate(_fid_curve(rng, 6))]
    cases.append((rising, rising[4][0] + 1.0))  # the last measurement is worse than the best

    def before(curve, seconds):
        return [f for s, f in curve if s <= seconds]

    _judge(
        "fid_at_budget",
        function,
        cases,
        lambda c, t: (before(c, t) or [np.nan])[-1],
        [
            _Mistake(
                "it returns the best FID so far; the model at the budget is the last one "
                "measured, which may be worse.",
                lambda c, t: min(before(c, t), default=np.nan),
            ),
            _Mistake(
                "it returns the first measurement after the budget: that run had more time.",
                lambda c, t: next((f for s, f in c if s > t), np.nan),
            ),
            _Mistake(
                "a measurement taken exactly at the budget counts.",
                lambda c, t: ([f for s, f in c if s < t] or [np.nan])[-1],
            ),
            _Mistake(
                "with no measurement by the budget it should give NaN.",
                lambda c, t: (before(c, t) or [c[0][1]])[-1],
            ),
        ],
        case_notes=[
            "",
            "",
            "",
            " with a measurement exactly at the budget",
            " with no measurement before the budget",
            " when the FID rose late in the run",
        ],
    )
