"""Scoring every recipient against the marks read from a leak, and accusing above threshold.

A recipient is scored over the marks read that their own copies carried (each issued copy
is read with the same reader as the leak, so a line they never received never counts for or
against them). Recipient j is accused when their symmetric score reaches the threshold
:func:`escolta.orders.tardos.threshold` for their m_j marks and the n recipients scored
(those with m_j >= 1): by Bennett's inequality and a union bound, the chance that any
innocent recipient is accused is at most epsilon, for any leak (docs/orders.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from escolta.orders.read import MarksRead, read_marks
from escolta.orders.tardos import CodeParameters, code_parameters, score_terms, threshold


class CopyLike(Protocol):
    """An issued copy (:class:`escolta.store.orders.IssuedOrder`)."""

    date: dt.date
    person: str
    symbols: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class Trace:
    """Who a leak accuses, and why.

    Attributes
    ----------
    accused
        Recipients whose score reached their threshold, highest score first.
    scores, thresholds, marks
        Per recipient scored: the symmetric score, the threshold for their marks, and the
        number of marks read that they received.
    epsilon
        The bound on the chance of accusing any innocent recipient.
    marks_read
        Marks read from the leak on nights whose orders are on record.
    conflicts, undated, orders, unknown_nights
        Marks read with both symbols, template lines without a date, orders found in the
        text, and dates found for which no orders were issued.
    """

    accused: tuple[str, ...]
    scores: Mapping[str, float]
    thresholds: Mapping[str, float]
    marks: Mapping[str, int]
    epsilon: float
    marks_read: int
    conflicts: int = 0
    undated: int = 0
    orders: int = 0
    unknown_nights: tuple[dt.date, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The ``escolta trace --json`` document."""
        return {
            "accused": list(self.accused),
            "scores": {p: round(s, 6) for p, s in self.scores.items()},
            "threshold": {p: round(z, 6) for p, z in self.thresholds.items()},
            "marks": dict(self.marks),
            "epsilon": self.epsilon,
            "marks_read": self.marks_read,
            "conflicts": self.conflicts,
            "orders_found": self.orders,
            "unknown_nights": [d.isoformat() for d in self.unknown_nights],
        }


def trace_marks(reading: MarksRead, biases: Mapping[dt.date, Sequence[float]],
                copies: Sequence[CopyLike], params: CodeParameters) -> Trace:
    """Score every recipient of ``copies`` against ``reading`` and accuse above threshold.

    Parameters
    ----------
    reading
        The marks read from the leak (:func:`escolta.orders.read.read_marks`).
    biases
        The biases of each night on record.
    copies
        Every copy issued on the nights of the leak.
    params
        The code's parameters (its ``term_bound`` must bound every night's terms).
    """
    known = {key: symbol for key, symbol in reading.marks.items() if key[0] in biases}
    unknown = tuple(sorted({date for date, _ in reading.marks if date not in biases}))
    received: dict[str, dict[tuple[dt.date, int], int]] = {}
    for copy in copies:
        own = received.setdefault(copy.person, {})
        for key in read_marks(copy.text).marks:
            if key in known and key[0] == copy.date:
                own[key] = int(copy.symbols[key[1]])
    scored = {person: marks for person, marks in received.items() if marks}
    n = len(scored)
    scores: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    for person, marks in sorted(scored.items()):
        keys = list(marks)
        p = [biases[date][slot] for date, slot in keys]
        one, zero = score_terms(p, [known[key] for key in keys])
        x = [marks[key] for key in keys]
        scores[person] = float(sum(o if xi else z for o, z, xi in zip(one, zero, x, strict=True)))
        thresholds[person] = threshold(len(keys), n, params)
    accused = tuple(sorted((p for p in scores if scores[p] >= thresholds[p]),
                           key=lambda p: (-scores[p], p)))
    return Trace(accused, scores, thresholds, {p: len(m) for p, m in sorted(scored.items())},
                 params.false_accusation, len(known), reading.conflicts, reading.undated,
                 reading.orders, unknown)


def parameters_for(colluders: int, false_accusation: float,
                   cutoffs: Sequence[float]) -> CodeParameters:
    """The scenario's parameters, with the bound of the smallest cutoff among the nights."""
    params = code_parameters(colluders, false_accusation)
    if cutoffs and min(cutoffs) < params.cutoff:
        t = min(cutoffs)
        params = CodeParameters(colluders, false_accusation, t, math.sqrt((1.0 - t) / t))
    return params
