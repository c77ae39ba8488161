"""Learners: adversaries that are not told the plan's odds and learn from what they watch.

A learner *watches* the principal: each morning it learns where the principal slept the night
before — the site (view ``site``, like a ``sees: site, lead: 1`` adversary) or the site and
room (view ``room``, like ``sees: room, lead: 1``) — and remembers every night it has watched.
Each night it attacks where its predictor says the principal will be: the predicted site and,
in the ``room`` view, the predicted room; in the ``site`` view it never sees rooms, so it
picks a room of the predicted site uniformly at random. The attack succeeds with
``success_at(k)`` of the site, k the teams there, when it finds the principal's room
(docs/design.md §4), else fails.

Predictors (all online, top-1):

- ``frequency``: the most frequent location so far (:mod:`escolta.redteam.markov`, order 0);
- ``markov-1``, ``markov-2``, ``markov-3``: the most frequent successor of the last 1, 2, 3
  locations (backing off to shorter contexts);
- ``lempel-ziv``: Active LeZi (:mod:`escolta.redteam.lezi`).

Examples
--------
>>> import numpy as np
>>> guesses = learner_predictions(np.array([0, 1, 0, 1, 0, 1]), 2, ("frequency", "markov-1"))
>>> guesses["markov-1"].tolist()
[0, 0, 0, 1, 0, 1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from escolta.errors import InputError
from escolta.redteam.lezi import active_lezi_predictions
from escolta.redteam.markov import markov_predictions_by_order

LEARNERS = ("frequency", "markov-1", "markov-2", "markov-3", "lempel-ziv")
#: Learners that remember more than the one night the plan's model allows for.
LONG_MEMORY = ("markov-2", "markov-3", "lempel-ziv")
VIEWS = ("site", "room")

_ORDER = {"frequency": 0, "markov-1": 1, "markov-2": 2, "markov-3": 3}


def check_learners(kinds: Sequence[str]) -> tuple[str, ...]:
    """Validate learner names (an :class:`InputError` names the unknown one)."""
    for kind in kinds:
        if kind not in LEARNERS:
            raise InputError("learners", kind, f"must be one of {', '.join(LEARNERS)}")
    return tuple(kinds)


def learner_predictions(
    sequence: np.ndarray, alphabet: int, kinds: Sequence[str], lezi_window: int = 8
) -> dict[str, np.ndarray]:
    """Each learner's online guess of ``sequence[t]`` from ``sequence[:t]``, by name."""
    kinds = check_learners(kinds)
    out: dict[str, np.ndarray] = {}
    orders = [_ORDER[k] for k in kinds if k in _ORDER]
    if orders:
        by_order = markov_predictions_by_order(sequence, alphabet, max(orders))
        for kind in kinds:
            if kind in _ORDER:
                out[kind] = by_order[_ORDER[kind]]
    if "lempel-ziv" in kinds:
        out["lempel-ziv"] = active_lezi_predictions(sequence, alphabet, lezi_window)
    return {kind: out[kind] for kind in kinds}


def learner_name(kind: str, view: str) -> str:
    """``markov-2/site``: the predictor and what it watches."""
    return f"{kind}/{view}"
