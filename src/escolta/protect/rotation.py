"""Phone rotation: the cycle length and the exposure it gives (docs/design.md §4b).

A phone on its a-th day in use (a = 1..D) is known to the tracker with probability
``1 - (1 - q)**a`` (q = ``leak_per_day``: each day in use the number leaks independently with
probability q, and once known it stays known). Phones rotate on a fixed cycle of D days and a
retired phone never returns, so tonight's phone is on day a of its cycle with probability 1/D,
and is known with probability

    e = 1 - (1/D) * sum_{a=1..D} (1 - q)**a.

A leaf: only the standard library, so that the scenario can refuse a cycle ``per_month``
does not allow (:func:`cycle_length`) without importing the nightly game.

Examples
--------
>>> round(exposure(0.02, 2), 6)      # 1 - (0.98 + 0.9604) / 2
0.0298
>>> cycle_length(per_month=15), cycle_length(per_month=7), cycle_length(per_month=30)
(2, 5, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError

DAYS_PER_MONTH = 30


def cycle_length(per_month: int, max_days: int | None = None) -> int:
    """The rotation cycle D in days (docs/design.md §4b).

    ``max_days`` when given, else the shortest cycle ``per_month`` handsets per 30 days allow,
    ``ceil(30 / per_month)``.

    Raises
    ------
    InputError
        ``per_month`` below 1, ``max_days`` below 1, or a ``max_days`` so short that the cycle
        would need more than ``per_month`` handsets per 30 days.
    """
    if isinstance(per_month, bool) or not isinstance(per_month, int) or per_month < 1:
        raise InputError("phones.per_month", per_month, "must be a whole number of at least 1")
    shortest = -(-DAYS_PER_MONTH // per_month)
    if max_days is None:
        return shortest
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        raise InputError("phones.max_days", max_days, "must be a whole number of at least 1")
    if max_days < shortest:
        raise InputError(
            "phones.max_days",
            max_days,
            f"needs {DAYS_PER_MONTH / max_days:g} handsets per {DAYS_PER_MONTH} days, more than "
            f"per_month = {per_month} allows (the shortest cycle is {shortest} days)",
        )
    return max_days


def exposure(leak_per_day: float, cycle_days: int) -> float:
    """Probability that tonight's phone is known: ``1 - (1/D) sum_{a=1..D} (1 - q)**a``.

    Parameters
    ----------
    leak_per_day
        q, the daily chance that the number of the phone in use becomes known; in [0, 1].
    cycle_days
        D, the days a handset is carried before it is retired; at least 1.

    Examples
    --------
    >>> exposure(0.0, 7), exposure(1.0, 3)
    (0.0, 1.0)
    >>> round(exposure(0.1, 1), 12)
    0.1
    """
    q = _leak(leak_per_day)
    if isinstance(cycle_days, bool) or not isinstance(cycle_days, int) or cycle_days < 1:
        raise InputError("phones.max_days", cycle_days, "must be a whole number of at least 1")
    kept = 1.0 - q
    if q == 0.0:
        return 0.0
    if q == 1.0:
        return 1.0
    # sum_{a=1..D} kept**a = kept (1 - kept**D) / q  (geometric series, q > 0), with
    # 1 - kept**D = -expm1(D log1p(-q)) so that a tiny q loses no digits
    unknown = kept * -math.expm1(cycle_days * math.log1p(-q)) / q / cycle_days
    return min(1.0, max(0.0, 1.0 - unknown))


def day_exposure(leak_per_day: float, day_in_cycle: int) -> float:
    """Probability that a phone on its ``a``-th day in use is known: ``1 - (1 - q)**a``."""
    return 1.0 - (1.0 - _leak(leak_per_day)) ** day_in_cycle


def _leak(leak_per_day: float) -> float:
    q = float(leak_per_day)
    if not (math.isfinite(q) and 0.0 <= q <= 1.0):
        raise InputError("phones.leak_per_day", leak_per_day, "must be a probability in [0, 1]")
    return q


@dataclass(frozen=True)
class PhoneExposure:
    """The cycle and the exposure it gives: the plan's ``phones`` section (docs/design.md §5)."""

    cycle_days: int
    exposure: float

    def to_dict(self) -> dict[str, Any]:
        return {"cycle_days": int(self.cycle_days), "exposure": float(self.exposure)}
