"""The optimal plan of the nightly game and its JSON export (docs/design.md §5).

A :class:`Plan` is the stationary distribution over nights (``nights``) and, whenever
history matters (an adversary with ``lead: 1``, or ``no_repeat``), the stationary two-night
distribution (``pairs``): the plan is then sampled as a Markov chain with
``P(tonight = j | yesterday = i) = pairs[i, j] / nights[i].p``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from escolta.errors import InputError
from escolta.protect.pair_table import Pair, PairTable

__all__ = ["Night", "Pair", "Plan", "SolverInfo"]  # Pair lives with its table

if TYPE_CHECKING:  # numpy loads only for the two matrices below
    import numpy as np


@dataclass(frozen=True)
class Night:
    """One night in the plan's support: the principal's site and room (from 1), each team's post."""

    p: float
    site: str
    room: int
    posts: Mapping[str, str]
    #: The convoy's road nodes from yesterday's site, drawn with the night (docs/design.md §12).
    route: tuple[int, ...] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "posts", MappingProxyType(dict(self.posts)))

    def key(self) -> tuple[str, int, tuple[tuple[str, str], ...]]:
        """A hashable identity of the night (its probability aside)."""
        return (self.site, self.room, tuple(sorted(self.posts.items())))

    def to_dict(self) -> dict[str, Any]:
        out = {"p": float(self.p), "site": self.site, "room": int(self.room),
               "posts": dict(self.posts)}
        if self.route is not None:
            out["route"] = [int(n) for n in self.route]
        return out


@dataclass(frozen=True)
class SolverInfo:
    """How the plan was computed: status, time, the proven lower bound on the risk."""

    status: str
    seconds: float
    lower_bound: float
    method: str = ""
    iterations: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "seconds": float(self.seconds),
                               "lower_bound": float(self.lower_bound)}
        if self.method:
            out["method"] = self.method
        if self.iterations:
            out["iterations"] = int(self.iterations)
        return out


@dataclass(frozen=True)
class Plan:
    """The plan as docs/design.md §5 exports it.

    ``adversaries`` maps each adversary's name to its success probability against the plan;
    ``risk`` is their weighted sum. ``extra`` carries the optional sections (``phones``,
    ``appearances``) exactly as they appear in the JSON.
    """

    risk: float
    adversaries: Mapping[str, float]
    site_probability: Mapping[str, float]
    nights: tuple[Night, ...]
    #: Given as any sequence of :class:`Pair`, kept as a :class:`PairTable` (arrays).
    pairs: PairTable | None
    solver: SolverInfo
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.pairs is not None and not isinstance(self.pairs, PairTable):
            object.__setattr__(self, "pairs", PairTable.from_pairs(self.pairs))
        if self.pairs is not None and self.pairs.in_blocks:
            # runs past the nights would be listed before any reader checks them: refuse
            # here, where it costs nothing (a table of pairs is checked by its readers)
            self.pairs.check_indices(len(self.nights))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "risk": float(self.risk),
            "adversaries": {k: float(v) for k, v in self.adversaries.items()},
            "site_probability": {k: float(v) for k, v in self.site_probability.items()},
            "nights": [n.to_dict() for n in self.nights],
        }
        if self.pairs is not None:
            out["pairs"] = self.pairs.to_json()
        out["solver"] = self.solver.to_dict()
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Read back the JSON form (e.g. from the store)."""
        try:
            solver = data["solver"]
            known = {"risk", "adversaries", "site_probability", "nights", "pairs", "solver"}
            return cls(
                risk=float(data["risk"]),
                adversaries=dict(data["adversaries"]),
                site_probability=dict(data["site_probability"]),
                nights=tuple(
                    Night(p=float(n["p"]), site=n["site"], room=int(n["room"]),
                          posts=dict(n["posts"]))
                    for n in data["nights"]
                ),
                pairs=None if data.get("pairs") is None else PairTable.from_json(
                    data["pairs"]),
                solver=SolverInfo(
                    status=solver["status"], seconds=float(solver["seconds"]),
                    lower_bound=float(solver["lower_bound"]), method=solver.get("method", ""),
                    iterations=int(solver.get("iterations", 0)),
                ),
                extra={k: v for k, v in data.items() if k not in known},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                "plan", type(error).__name__, f"is not a plan export: {error}"
            ) from None

    @property
    def night_probabilities(self) -> np.ndarray:
        import numpy as np

        return np.array([n.p for n in self.nights])

    def transition_matrix(self) -> np.ndarray:
        """Row-stochastic ``T[i, j] = P(tonight = j | yesterday = i)``.

        Without ``pairs`` nights are independent, so every row is the stationary distribution.
        """
        import numpy as np

        p = self.night_probabilities
        if self.pairs is None:
            return np.tile(p / p.sum(), (len(p), 1))
        joint = self.pairs.joint(len(p))
        rows = joint.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rows > 0, joint / rows, p / p.sum())

    def site_pairs(self, site_names: list[str]) -> dict[tuple[str, str], float]:
        """``P(yesterday at a, tonight at b)`` for every ordered pair of ``site_names`` (the
        scenario's sites), from ``pairs``; empty when the plan has none."""
        if self.pairs is None:
            return {}
        index = {name: k for k, name in enumerate(site_names)}
        law = self.pairs.grouped([index[night.site] for night in self.nights],
                                 len(site_names))
        return {(a, b): float(law[i, j]) for i, a in enumerate(site_names)
                for j, b in enumerate(site_names)}
